using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>
/// Debian's nginx (test.sh installs it) in front of BlazorVault nodes on loopback, running the product's own
/// <c>deploy/nginx/blazorvault.conf</c> with only its "set:" values replaced: the node addresses, a free HTTPS port, a
/// self-signed certificate for 127.0.0.1 and an access log in a temp folder, which tells which node served each request.
/// </summary>
public sealed partial class NginxServer : IAsyncDisposable
{
    private readonly TempDirectory _directory = new(withTestKey: false);
    private Process? _process;

    private NginxServer(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>https://127.0.0.1:port</summary>
    public string Address { get; private set; } = "";

    /// <summary>The certificate nginx presents; clients of the tests trust exactly this one.</summary>
    public X509Certificate2 Certificate { get; }

    private string AccessLog => Path.Combine(_directory.Path, "access.log");

    public static async Task<NginxServer> StartAsync(IReadOnlyList<string> nodeAddresses)
    {
        var nginx = new NginxServer(CreateCertificate());
        await nginx.RunAsync(nodeAddresses);
        return nginx;
    }

    /// <summary>
    /// The node (its address, e.g. 127.0.0.1:41234) that answered each logged request whose line contains <paramref name="marker"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> NodesThatServedAsync(string marker)
    {
        // nginx writes a request's line once the response is sent, before the client has necessarily read it all.
        await Task.Delay(100);
        var lines = await File.ReadAllLinesAsync(AccessLog);
        return [.. lines.Where(l => l.Contains(marker, StringComparison.Ordinal)).Select(l => UpstreamPattern().Match(l).Groups[1].Value)];
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Certificate.Dispose();
        _directory.Dispose();
    }

    private async Task RunAsync(IReadOnlyList<string> nodeAddresses)
    {
        var port = SmtpTestServer.FreePort();
        Address = $"https://127.0.0.1:{port}";
        var site = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot, "deploy", "nginx", "blazorvault.conf"));
        var certificateFile = Path.Combine(_directory.Path, "server.pem");
        var keyFile = Path.Combine(_directory.Path, "server.key");
        await File.WriteAllTextAsync(certificateFile, Certificate.ExportCertificatePem());
        using (var key = Certificate.GetRSAPrivateKey()!)
        {
            await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        }

        site = Set(site, "server 10.0.0.11:5080 max_fails", $"server {nodeAddresses[0]} max_fails");
        site = Set(site, "    server 10.0.0.12:5080 max_fails=1 fail_timeout=10s;\n", "");
        site = Set(
            site,
            "    keepalive 32;",
            string.Concat(nodeAddresses.Skip(1).Select(a => $"    server {a} max_fails=1 fail_timeout=10s;\n")) + "    keepalive 32;"
        );
        site = Set(site, "listen 80;", $"listen 127.0.0.1:{SmtpTestServer.FreePort()};");
        site = Set(site, "listen 443 ssl http2;", $"listen 127.0.0.1:{port} ssl http2;");
        site = Set(site, "/etc/ssl/certs/vault.example.com.pem", certificateFile);
        site = Set(site, "/etc/ssl/private/vault.example.com.key", keyFile);
        site = Set(site, "/var/log/nginx/blazorvault.access.log", AccessLog);
        await File.WriteAllTextAsync(Path.Combine(_directory.Path, "blazorvault.conf"), site);

        // The main file nginx needs around the product's http {} snippet: foreground, one worker, everything in the folder.
        var temp = Path.Combine(_directory.Path, "temp");
        Directory.CreateDirectory(temp);
        var main = $$"""
            daemon off;
            worker_processes 1;
            pid {{_directory.Path}}/nginx.pid;
            error_log {{_directory.Path}}/error.log warn;
            {{(Environment.IsPrivilegedProcess ? "user root;" : "")}}
            events { worker_connections 1024; }
            http {
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                include {{_directory.Path}}/blazorvault.conf;
            }
            """;
        var mainFile = Path.Combine(_directory.Path, "nginx.conf");
        await File.WriteAllTextAsync(mainFile, main);

        var start = new ProcessStartInfo(NginxBinary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", _directory.Path, "-c", mainFile, "-e", Path.Combine(_directory.Path, "error.log") })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await AcceptsAsync(port))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = Path.Combine(_directory.Path, "error.log");
                throw new InvalidOperationException(
                    $"nginx did not start: {await _process.StandardError.ReadToEndAsync()} "
                        + (File.Exists(log) ? await File.ReadAllTextAsync(log) : "")
                );
            }

            await Task.Delay(50);
        }
    }

    private static string NginxBinary =>
        File.Exists("/usr/sbin/nginx")
            ? "/usr/sbin/nginx"
            : throw new InvalidOperationException("nginx is missing at /usr/sbin/nginx. Install it with: sudo apt-get install nginx-light");

    /// <summary>Fails when the product's file no longer has a value the tests set, rather than testing a different file.</summary>
    private static string Set(string site, string value, string replacement) =>
        site.Contains(value, StringComparison.Ordinal)
            ? site.Replace(value, replacement, StringComparison.Ordinal)
            : throw new InvalidOperationException($"deploy/nginx/blazorvault.conf no longer contains \"{value.Trim()}\".");

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BlazorVault.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("The repository root (BlazorVault.sln) was not found.");
        }
    }

    [GeneratedRegex(@"upstream=(\S+)")]
    private static partial Regex UpstreamPattern();
}
