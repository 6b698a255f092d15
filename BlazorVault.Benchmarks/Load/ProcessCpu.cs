using System.Globalization;

namespace BlazorVault.Benchmarks.Load;

/// <summary>
/// A process's CPU time (user + system, all threads) from /proc, when the script gives its process id: the app's
/// (<c>BLAZORVAULT_APP_PID</c>), or the database server's (<c>BLAZORVAULT_DB_PID</c>, PostgreSQL's postmaster), which counts
/// its backends too: the live ones, and the ones that ended, as the postmaster collected them.
/// </summary>
internal sealed class ProcessCpu(int pid, bool withChildren)
{
    /// <summary>USER_HZ, 100 on every Linux this runs on.</summary>
    private const double MillisecondsPerTick = 10;

    public static ProcessCpu? FromEnvironment() => FromVariable("BLAZORVAULT_APP_PID", withChildren: false);

    public static ProcessCpu? DatabaseFromEnvironment() => FromVariable("BLAZORVAULT_DB_PID", withChildren: true);

    public double Milliseconds()
    {
        // Fields after "(comm)": state is the first, the parent's id the second; utime, stime, cutime and cstime the 12th to 15th.
        if (Fields(pid) is not { } fields)
        {
            return 0;
        }

        var ticks = Ticks(fields, 11) + Ticks(fields, 12);
        if (withChildren)
        {
            ticks += Ticks(fields, 13) + Ticks(fields, 14);
            var parent = pid.ToString(CultureInfo.InvariantCulture);
            foreach (var child in Directory.EnumerateDirectories("/proc"))
            {
                if (
                    int.TryParse(Path.GetFileName(child), CultureInfo.InvariantCulture, out var id)
                    && Fields(id) is { } c
                    && c[1] == parent
                )
                {
                    ticks += Ticks(c, 11) + Ticks(c, 12);
                }
            }
        }

        return ticks * MillisecondsPerTick;
    }

    private static ProcessCpu? FromVariable(string variable, bool withChildren) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var pid)
        && File.Exists($"/proc/{pid}/stat")
            ? new ProcessCpu(pid, withChildren)
            : null;

    private static string[]? Fields(int id)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{id}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            // The process ended meanwhile.
            return null;
        }
    }

    private static long Ticks(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
}
