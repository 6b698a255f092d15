using System.Diagnostics;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>Runs the real BlazorVault executable with a verb, as an operator would, in its own process.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Task<Result> RunAsync(string dataDirectory, string environment, params string[] args) =>
        RunAsync(dataDirectory, environment, new Dictionary<string, string?>(), args);

    /// <param name="variables">More environment variables for the process; a null value removes one it would inherit.</param>
    public static async Task<Result> RunAsync(
        string dataDirectory,
        string environment,
        IReadOnlyDictionary<string, string?> variables,
        params string[] args
    )
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(AppDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        foreach (var (name, value) in variables)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>The web project's own build output (it has the runtimeconfig the test folder's copy lacks).</summary>
    internal static string AppDll
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
            var framework = testOutput.Name;
            var configuration = testOutput.Parent!.Name;
            var root = testOutput.Parent.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "BlazorVault", "bin", configuration, framework, "BlazorVault.dll");
        }
    }
}
