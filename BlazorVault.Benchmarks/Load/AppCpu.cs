using System.Globalization;

namespace BlazorVault.Benchmarks.Load;

/// <summary>The app's CPU time (user + system, all threads) from /proc, when the script gives its process id.</summary>
internal sealed class AppCpu(int pid)
{
    /// <summary>USER_HZ, 100 on every Linux this runs on.</summary>
    private const double MillisecondsPerTick = 10;

    public static AppCpu? FromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("BLAZORVAULT_APP_PID"), CultureInfo.InvariantCulture, out var pid)
        && File.Exists($"/proc/{pid}/stat")
            ? new AppCpu(pid)
            : null;

    public double Milliseconds()
    {
        // Fields after "(comm)": state is the first; utime and stime are the 12th and 13th.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture))
            * MillisecondsPerTick;
    }
}
