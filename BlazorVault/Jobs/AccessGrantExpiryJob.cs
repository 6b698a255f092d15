using BlazorVault.Core.Access;
using BlazorVault.Core.Jobs.Models;
using Quartz;

namespace BlazorVault.Jobs;

/// <summary>Every minute: records the approved access grants that have ended, and tells open pages.</summary>
[DisallowConcurrentExecution]
internal sealed class AccessGrantExpiryJob(IServiceScopeFactory scopeFactory) : CoreJob(scopeFactory)
{
    protected override string Key => AccessGrantExpirySweep.JobKey;

    protected override async Task<JobOutcome> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var ended = await services.GetRequiredService<AccessGrantExpirySweep>().RecordExpiredAsync(cancellationToken);
        return new JobOutcome(true, $"{ended} access grant(s) ended.");
    }
}
