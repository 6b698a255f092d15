using System.Diagnostics;
using System.Net;
using System.Text;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>
/// One BlazorVault node as an operator runs it: the web project's build in its own process, listening on 127.0.0.1 at a
/// free port, configured only through environment variables. Ready once <c>/readyz</c> answers 200.
/// </summary>
/// <remarks>
/// In the Development environment, as <c>dotnet run</c> is: a build (unlike a publish) serves its static files only there.
/// </remarks>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>127.0.0.1:port, as nginx's upstream names it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Everything the node wrote to its console so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var port = SmtpTestServer.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(CliProcess.AppDll)!,
        };
        start.ArgumentList.Add(CliProcess.AppDll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var app = new AppProcess(new Process { StartInfo = start }, port);
        app._process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        await app.WaitUntilReadyAsync();
        return app;
    }

    /// <summary>SIGKILL: the node stops mid-work, as a crashed machine would, with no shutdown of any kind.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
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

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The node exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync($"http://{Endpoint}/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The node on {Endpoint} was not ready within 90 s:\n{Output}");
    }
}
