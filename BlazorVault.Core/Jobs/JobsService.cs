using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Jobs.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Jobs;

/// <summary>Configuration &gt; Jobs: each job's schedule, last run and next run, and "Run now", for administrators.</summary>
public sealed class JobsService(
    ICurrentActor currentActor,
    IJobScheduler scheduler,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory
)
{
    public async Task<IReadOnlyList<JobStatus>> ListAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        var statuses = new List<JobStatus>();
        foreach (var job in scheduler.Jobs)
        {
            statuses.Add(
                new JobStatus(
                    job.Key,
                    job.Name,
                    job.ScheduleInWords,
                    await LastRunAsync(job.Key, cancellationToken),
                    await scheduler.GetNextRunAsync(job.Key, cancellationToken)
                )
            );
        }

        return statuses;
    }

    /// <summary>The last finished run of a job, for banners; null when it never finished.</summary>
    public async Task<JobRunView?> GetLastFinishedRunAsync(string jobKey, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db
            .JobRuns.AsNoTracking()
            .Where(r => r.JobKey == jobKey && r.FinishedAt != null)
            .OrderByDescending(r => r.Id)
            .Select(r => new JobRunView(r.StartedAt, r.FinishedAt, r.Succeeded, r.Message, r.Node))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task RunNowAsync(string jobKey, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        if (scheduler.Jobs.All(j => j.Key != jobKey))
        {
            throw new NotFoundException("The job");
        }

        await audit.WriteAsync(new AuditEntry(AuditActions.JobRunRequested, "Job", jobKey), cancellationToken);
        await scheduler.TriggerAsync(jobKey, cancellationToken);
    }

    private async Task<JobRunView?> LastRunAsync(string jobKey, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db
            .JobRuns.AsNoTracking()
            .Where(r => r.JobKey == jobKey)
            .OrderByDescending(r => r.Id)
            .Select(r => new JobRunView(r.StartedAt, r.FinishedAt, r.Succeeded, r.Message, r.Node))
            .FirstOrDefaultAsync(cancellationToken);
    }
}
