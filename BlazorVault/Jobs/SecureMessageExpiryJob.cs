using BlazorVault.Core.Jobs.Models;
using BlazorVault.Core.SecureMessages;
using Quartz;

namespace BlazorVault.Jobs;

/// <summary>Every minute: destroys the content of expired secure messages in one statement and notes it on their tickets.</summary>
[DisallowConcurrentExecution]
internal sealed class SecureMessageExpiryJob(IServiceScopeFactory scopeFactory) : CoreJob(scopeFactory)
{
    protected override string Key => SecureMessageExpirySweep.JobKey;

    protected override async Task<JobOutcome> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var expired = await services.GetRequiredService<SecureMessageExpirySweep>().ExpireDueAsync(cancellationToken);
        return new JobOutcome(true, $"{expired} secure message(s) expired.");
    }
}
