namespace BlazorVault.Benchmarks.Load;

/// <summary>Nearest-rank percentiles of measured times, shared by the measuring modes.</summary>
internal static class Percentiles
{
    /// <param name="sorted">Ascending.</param>
    /// <param name="p">From 0 to 1.</param>
    public static double Of(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static double Median(IEnumerable<double> values) => Of(values.Order().ToArray(), 0.50);
}
