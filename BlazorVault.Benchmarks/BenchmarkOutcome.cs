using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace BlazorVault.Benchmarks;

/// <summary>How a run of BenchmarkDotNet ends for the shell: exit code 1 when any benchmark failed.</summary>
internal static class BenchmarkOutcome
{
    /// <summary>
    /// Every benchmark once (BenchmarkDotNet's Dry job) inside this process, so nothing is rebuilt per benchmark. It
    /// measures nothing, so an unoptimised (Debug) build will do: test.sh runs the build <c>dotnet test</c> made.
    /// </summary>
    public static IConfig Smoke { get; } =
        DefaultConfig
            .Instance.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).AsMutator())
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);

    /// <summary>
    /// 1 when a run hit a critical validation error or a benchmark failed (its setup, its check or the benchmark
    /// itself threw), or, with <paramref name="requireBenchmarks"/>, when nothing ran at all; otherwise 0.
    /// </summary>
    public static int ExitCode(IEnumerable<Summary> summaries, bool requireBenchmarks)
    {
        var all = summaries.ToList();
        var failures = all.Where(s => s.HasCriticalValidationErrors)
            .Select(s => $"{s.Title}: critical validation errors")
            .Concat(all.SelectMany(s => s.Reports).Where(r => !r.Success).Select(r => r.BenchmarkCase.DisplayInfo))
            .ToList();
        if (requireBenchmarks && all.Sum(s => s.Reports.Length) == 0)
        {
            failures.Add("no benchmark ran");
        }

        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"benchmark failed: {failure}");
        }

        return failures.Count == 0 ? 0 : 1;
    }
}
