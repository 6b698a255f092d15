using System.Diagnostics;
using System.Runtime;

namespace BlazorVault.Hosting;

/// <summary>
/// Where the start-up time goes, from the moment the process started until the first request was answered: logged
/// once, as one line at Information, so a slow start can be read from the log of the start itself.
/// </summary>
internal sealed class StartupTimings
{
    private readonly DateTime _processStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
    private int _firstRequestSeen;

    /// <summary>The runtime's start, Main and the web host's builder, before BlazorVault configures anything.</summary>
    public long RuntimeMs { get; set; }

    public long KeyRingLoadMs { get; set; }

    /// <summary>Since the process started, when BlazorVault's services were configured and the host could be built.</summary>
    public long ConfiguredAtMs { get; set; }

    public long HostBuildMs { get; set; }

    public long MigrationsMs { get; set; }

    /// <summary>
    /// Recording the key ring's certificates (generating the first one on a new installation) and sealing clear second-factor
    /// values.
    /// </summary>
    public long EncryptionKeysMs { get; set; }

    public long QuartzMs { get; set; }

    public long ListeningAtMs { get; set; }

    public long SinceProcessStartMs => (long)(DateTime.UtcNow - _processStart).TotalMilliseconds;

    public static long Since(long timestamp) => (long)Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds;

    /// <summary>Logs the timings once the first request (of any kind) has been answered.</summary>
    public IApplicationBuilder LogAfterFirstRequest(IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                if (Volatile.Read(ref _firstRequestSeen) != 0)
                {
                    await next(context);
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                await next(context);
                if (Interlocked.Exchange(ref _firstRequestSeen, 1) == 0)
                {
                    var logger = context.RequestServices.GetRequiredService<ILogger<StartupTimings>>();
                    Log(logger, Since(started), context.Response.StatusCode);
                }
            }
        );

    private void Log(ILogger logger, long firstRequestMs, int status) =>
        logger.LogInformation(
            "Start-up: first answer ({Status}) {TotalMs} ms after the process started: runtime and host builder {RuntimeMs} ms, "
                + "key ring load {KeyRingLoadMs} ms, host build {HostBuildMs} ms, migrations {MigrationsMs} ms, "
                + "encryption keys {EncryptionKeysMs} ms, Quartz {QuartzMs} ms, listening at {ListeningAtMs} ms, "
                + "first request {FirstRequestMs} ms; JIT compilation {JitMs} ms for {JitMethods} methods",
            status,
            SinceProcessStartMs,
            RuntimeMs,
            KeyRingLoadMs,
            HostBuildMs,
            MigrationsMs,
            EncryptionKeysMs,
            QuartzMs,
            ListeningAtMs,
            firstRequestMs,
            (long)JitInfo.GetCompilationTime().TotalMilliseconds,
            JitInfo.GetCompiledMethodCount()
        );
}
