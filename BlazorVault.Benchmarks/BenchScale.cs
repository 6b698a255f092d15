using System.Globalization;

namespace BlazorVault.Benchmarks;

/// <summary>
/// The data sizes the benchmarks are written for (a million audit events, 100,000 accounts...), multiplied by the
/// environment variable <c>BLAZORVAULT_BENCH_SCALE</c> (default 1). test.sh runs every benchmark once at 0.001 so
/// that a setup that no longer works fails CI in seconds instead of minutes.
/// </summary>
internal static class BenchScale
{
    public const string Variable = "BLAZORVAULT_BENCH_SCALE";

    public static double Factor { get; } = Read(Environment.GetEnvironmentVariable(Variable));

    /// <summary>The scaled size, never below one.</summary>
    public static int Of(int fullSize) => Math.Max(1, (int)Math.Round(fullSize * Factor, MidpointRounding.AwayFromZero));

    private static double Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0
            ? factor
            : throw new InvalidOperationException($"{Variable} must be a positive number such as 0.001, not '{text}'.");
    }
}
