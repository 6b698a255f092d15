using BlazorVault.Core.Cluster;
using BlazorVault.Core.Jobs.Entities;
using BlazorVault.Core.Jobs.Models;
using BlazorVault.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Jobs;

/// <summary>
/// Runs a job's work and records the run: start, the node it runs on, end, result, and the failure's message when it throws.
/// </summary>
public sealed class JobRunRecorder(
    ThisNode node,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time,
    ILogger<JobRunRecorder> logger
)
{
    public async Task<JobOutcome> RunAsync(
        string jobKey,
        Func<CancellationToken, Task<JobOutcome>> work,
        CancellationToken cancellationToken
    )
    {
        var run = new JobRun
        {
            JobKey = jobKey,
            StartedAt = time.GetUtcNow().UtcDateTime,
            Node = node.Name,
        };
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            db.JobRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }

        JobOutcome outcome;
        try
        {
            outcome = await work(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Core's exception messages never carry secrets; the stack trace goes to the log only.
            logger.LogError(ex, "Job {JobKey} failed", jobKey);
            outcome = new JobOutcome(false, $"Failed: {ex.Message}");
        }

        if (!outcome.Succeeded)
        {
            logger.LogWarning("Job {JobKey} reported a problem: {Message}", jobKey, outcome.Message);
        }

        await using (var db = await contextFactory.CreateDbContextAsync(CancellationToken.None))
        {
            await db
                .JobRuns.Where(r => r.Id == run.Id)
                .ExecuteUpdateAsync(
                    r =>
                        r.SetProperty(x => x.FinishedAt, time.GetUtcNow().UtcDateTime)
                            .SetProperty(x => x.Succeeded, outcome.Succeeded)
                            .SetProperty(
                                x => x.Message,
                                outcome.Message.Length > JobRun.MessageMaxLength
                                    ? outcome.Message[..JobRun.MessageMaxLength]
                                    : outcome.Message
                            ),
                    CancellationToken.None
                );
        }

        return outcome;
    }
}
