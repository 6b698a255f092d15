using BlazorVault.Core.Jobs.Models;
using BlazorVault.Core.Notifications;
using Quartz;

namespace BlazorVault.Jobs;

/// <summary>
/// Delivers queued emails: every 30 seconds, and at once when a feature queues one. Then takes used or expired
/// set-password links out of the pickup folder's files.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class EmailOutboxJob(IServiceScopeFactory scopeFactory) : CoreJob(scopeFactory)
{
    protected override string Key => EmailDelivery.JobKey;

    protected override async Task<JobOutcome> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var (sent, retrying, failed) = await services.GetRequiredService<EmailDelivery>().DeliverDueAsync(cancellationToken);
        var removed = await services.GetRequiredService<PickupLinkSweep>().RemoveSpentLinksAsync(cancellationToken);
        return new JobOutcome(
            retrying + failed == 0,
            $"{sent} sent, {retrying} waiting to retry, {failed} failed; {removed} used or expired link(s) removed from the pickup folder."
        );
    }
}
