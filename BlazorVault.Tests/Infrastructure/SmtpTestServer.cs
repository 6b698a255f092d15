using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>
/// A real SMTP server for the email tests: Debian's aiosmtpd (<c>python3-aiosmtpd</c>, installed by test.sh) on
/// 127.0.0.1 at a free port, keeping every message it receives in a temp maildir. It offers AUTH (PLAIN, LOGIN) without TLS,
/// accepts any sign-in and records each one, so a test can see which credentials reached it. Killed on dispose.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    public const string Host = "127.0.0.1";

    /// <summary>Debian's interpreter: a <c>python3</c> on PATH may be a pyenv shim without aiosmtpd.</summary>
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>aiosmtpd's SMTP with its Mailbox handler, as <c>python3 -m aiosmtpd -c aiosmtpd.handlers.Mailbox</c>, plus AUTH.</summary>
    private const string Script = """
        import asyncio, sys
        from aiosmtpd.handlers import Mailbox
        from aiosmtpd.smtp import SMTP, AuthResult

        host, port, maildir, sign_ins = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
        handler = Mailbox(maildir)

        def record(server, session, envelope, mechanism, auth_data):
            with open(sign_ins, "a", encoding="utf-8") as log:
                log.write(auth_data.login.decode() + "\t" + auth_data.password.decode() + "\n")
            return AuthResult(success=True)

        async def main():
            loop = asyncio.get_running_loop()
            server = await loop.create_server(lambda: SMTP(handler, authenticator=record, auth_require_tls=False), host, port)
            await server.serve_forever()

        asyncio.run(main())
        """;

    private readonly TempDirectory _directory = new(withTestKey: false);
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private SmtpTestServer(int port, Process process)
    {
        Port = port;
        _process = process;
    }

    public int Port { get; }

    /// <summary>Where aiosmtpd's Mailbox handler writes each message as a file (in <c>new/</c>).</summary>
    public string Maildir => Path.Combine(_directory.Path, "maildir");

    private string SignInLog => Path.Combine(_directory.Path, "sign-ins.tsv");

    /// <summary>Starts aiosmtpd and returns once it greets on its port.</summary>
    public static async Task<SmtpTestServer> StartAsync()
    {
        // The port is free when chosen; should another process take it before aiosmtpd binds, try another.
        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(FreePort());
            try
            {
                await server.WaitUntilListeningAsync();
                return server;
            }
            catch (PortTakenException) when (attempt < 3)
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on (at the moment of asking): a closed SMTP server.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The messages received so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> ReadMessages()
    {
        var inbox = new DirectoryInfo(Path.Combine(Maildir, "new"));
        if (!inbox.Exists)
        {
            return [];
        }

        // The handler writes each message in tmp/ and moves it to new/ whole, so every file here is complete.
        return
        [
            .. inbox
                .GetFiles()
                .OrderBy(f => f.LastWriteTimeUtc)
                .ThenBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => MimeMessage.Load(f.FullName)),
        ];
    }

    /// <summary>Every AUTH the server received, oldest first: the user name and the password exactly as sent.</summary>
    public IReadOnlyList<(string User, string Password)> ReadSignIns() =>
        File.Exists(SignInLog)
            ? [.. File.ReadAllLines(SignInLog).Select(line => line.Split('\t', 2)).Select(parts => (parts[0], parts[1]))]
            : [];

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived and returns all of them, oldest first.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>; says how many did, and what the server
    /// printed.</exception>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var messages = ReadMessages();
            if (messages.Count >= count)
            {
                return messages;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"The SMTP server on port {Port} received {messages.Count} of {count} messages within {timeout.TotalSeconds:0} s. It "
                        + $"printed:\n{Output}"
                );
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for a message that <paramref name="match"/> accepts and returns the newest such one.</summary>
    /// <exception cref="TimeoutException">None arrived within <paramref name="timeout"/>; lists what did arrive.</exception>
    public async Task<MimeMessage> WaitForMessageAsync(Func<MimeMessage, bool> match, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var messages = ReadMessages();
            if (messages.LastOrDefault(match) is { } found)
            {
                return found;
            }

            if (watch.Elapsed > timeout)
            {
                var received = string.Join("\n", messages.Select(m => $"  to {m.To} \"{m.Subject}\""));
                throw new TimeoutException(
                    $"The SMTP server on port {Port} received no matching message within {timeout.TotalSeconds:0} s. It received "
                        + $"{messages.Count}:\n{received}\nIt printed:\n{Output}"
                );
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // It has exited on its own.
        }
        finally
        {
            _process.Dispose();
            _directory.Dispose();
        }
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private static SmtpTestServer Launch(int port)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["PYTHONUNBUFFERED"] = "1";
        var server = new SmtpTestServer(port, new Process { StartInfo = start, EnableRaisingEvents = true });
        foreach (var arg in new[] { "-c", Script, Host, $"{port}", server.Maildir, server.SignInLog })
        {
            start.ArgumentList.Add(arg);
        }

        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        try
        {
            server._process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            server._process.Dispose();
            server._directory.Dispose();
            throw new InvalidOperationException(
                $"Could not start {Python} for the SMTP test server: {ex.Message}. Install Debian's python3-aiosmtpd (test.sh does).",
                ex
            );
        }

        server._process.StandardInput.Close();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                // Let the last lines of stderr arrive before quoting them.
                await _process.WaitForExitAsync();
                var output = Output;
                if (output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new PortTakenException($"Another program took 127.0.0.1:{Port} before aiosmtpd could listen on it.");
                }

                throw new InvalidOperationException(
                    $"aiosmtpd exited with code {_process.ExitCode} instead of listening on 127.0.0.1:{Port}. Is python3-aiosmtpd "
                        + $"installed (test.sh installs it)? It printed:\n{output}"
                );
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                using var greeting = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                string? banner;
                try
                {
                    banner = await reader.ReadLineAsync(greeting.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new PortTakenException($"Something on 127.0.0.1:{Port} accepted a connection but sent no SMTP greeting.");
                }

                // aiosmtpd greets "220 {host} Python SMTP {version}"; anything else is another program on the port.
                if (
                    banner?.StartsWith("220 ", StringComparison.Ordinal) == true
                    && banner.Contains("Python SMTP", StringComparison.Ordinal)
                )
                {
                    return;
                }

                throw new PortTakenException($"Another program answers on 127.0.0.1:{Port}: \"{banner}\".");
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException(
            $"aiosmtpd did not listen on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds:0} s. It printed:\n{Output}"
        );
    }

    private sealed class PortTakenException(string message) : Exception(message);
}
