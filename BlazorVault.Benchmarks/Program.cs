using BenchmarkDotNet.Running;
using BlazorVault.Benchmarks;
using BlazorVault.Benchmarks.Load;

// Hot paths of BlazorVault, measured with BenchmarkDotNet (exit code 1 when a benchmark fails):
//   dotnet run -c Release --project BlazorVault.Benchmarks -- --filter '*'
// ./test.sh runs every benchmark once, in this process and on data scaled down (BLAZORVAULT_BENCH_SCALE), to
// catch a setup that no longer works; more BenchmarkDotNet options may follow `smoke`, such as --filter:
//   BLAZORVAULT_BENCH_SCALE=0.001 dotnet run --project BlazorVault.Benchmarks -- smoke
// and the redemption load test against a running app, after the plain page for some seconds (scripts/measure-redeem.sh):
//   dotnet BlazorVault.Benchmarks.dll redeem-load <data folder> <base url> <messages> <clients> <plain-page seconds>
// and the password sign-in load test (scripts/measure-signin.sh), once per client count in the list:
//   dotnet BlazorVault.Benchmarks.dll signin-load <data folder> <base url> <accounts> <sign-ins per client> <clients,clients,...>
// and a scoped agent's reveal against an administrator's, alternated in one process (scripts/measure-reveal-ratio.sh):
//   dotnet BlazorVault.Benchmarks.dll reveal-ratio <rounds> <reveals per block>
if (args is ["redeem-load", var directory, var url, var count, var clients, var seconds])
{
    return await RedeemLoad.RunAsync(
        directory,
        url,
        int.Parse(count, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(clients, System.Globalization.CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture))
    );
}

if (args is ["signin-load", var signInDirectory, var signInUrl, var accounts, var signIns, var clientCounts])
{
    return await SignInLoad.RunAsync(
        signInDirectory,
        signInUrl,
        int.Parse(accounts, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(signIns, System.Globalization.CultureInfo.InvariantCulture),
        SignInLoad.ParseCounts(clientCounts)
    );
}

if (args is ["reveal-ratio", var rounds, var perBlock])
{
    return await BlazorVault.Benchmarks.Access.RevealRatio.RunAsync(
        int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(perBlock, System.Globalization.CultureInfo.InvariantCulture)
    );
}

var benchmarks = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly);
if (args is ["smoke", .. var options])
{
    string[] smokeArgs = options.Any(o => o is "--filter" or "-f") ? options : ["--filter", "*", .. options];
    return BenchmarkOutcome.ExitCode(benchmarks.Run(smokeArgs, BenchmarkOutcome.Smoke), requireBenchmarks: true);
}

return BenchmarkOutcome.ExitCode(benchmarks.Run(args), requireBenchmarks: false);
