using Quartz;

namespace BlazorVault.Jobs;

/// <summary>
/// Quartz's hosted service, with a stop that the host's shutdown timeout bounds. On PostgreSQL, Quartz's scheduler thread
/// hands back the firings it has already acquired before it stops, and retries that against the database until the job
/// store has shut down, which happens only after the thread has stopped: with the database gone, the stop never ended and
/// the node could not be stopped. Past the timeout the host goes on stopping; the firings left acquired are recovered by
/// the other nodes, or by this one when it starts again, as after a crash.
/// </summary>
internal sealed class BoundedQuartzHostedService(QuartzHostedService quartz, ILogger<BoundedQuartzHostedService> logger)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => quartz.StartingAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => quartz.StartAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => quartz.StartedAsync(cancellationToken);

    public Task StoppingAsync(CancellationToken cancellationToken) => quartz.StoppingAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await quartz.StopAsync(cancellationToken).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(
                "The job scheduler did not stop within the shutdown timeout (is the database reachable?); its acquired firings "
                    + "are recovered as after a crash"
            );
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => quartz.StoppedAsync(cancellationToken);
}
