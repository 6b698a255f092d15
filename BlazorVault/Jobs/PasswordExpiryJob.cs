using BlazorVault.Core.Accounts;
using BlazorVault.Core.Jobs.Models;
using Quartz;

namespace BlazorVault.Jobs;

/// <summary>Daily: marks expired passwords and queues expiry reminders (each once), when auto-expiry is on.</summary>
[DisallowConcurrentExecution]
internal sealed class PasswordExpiryJob(IServiceScopeFactory scopeFactory) : CoreJob(scopeFactory)
{
    protected override string Key => PasswordExpiry.JobKey;

    protected override async Task<JobOutcome> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var (expired, reminded) = await services.GetRequiredService<PasswordExpiry>().RunAsync(cancellationToken);
        return new JobOutcome(true, $"{expired} password(s) expired, {reminded} reminder(s) queued.");
    }
}
