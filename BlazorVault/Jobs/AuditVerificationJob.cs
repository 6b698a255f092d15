using BlazorVault.Core.Audit;
using BlazorVault.Core.Jobs.Models;

namespace BlazorVault.Jobs;

/// <summary>Nightly: walks the audit log's hash chain; a broken chain fails the run and raises the admin banner.</summary>
internal sealed class AuditVerificationJob(IServiceScopeFactory scopeFactory) : CoreJob(scopeFactory)
{
    protected override string Key => AuditChainCheck.JobKey;

    protected override Task<JobOutcome> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<AuditChainCheck>().RunAsync(cancellationToken);
}
