using BlazorVault.Core.Crypto;
using BlazorVault.Core.Jobs.Models;
using Quartz;

namespace BlazorVault.Jobs;

/// <summary>Re-wraps every data key with the active certificate, in committed batches; one run at a time.</summary>
[DisallowConcurrentExecution]
internal sealed class KeyRewrapJob(IServiceScopeFactory scopeFactory) : CoreJob(scopeFactory)
{
    protected override string Key => SecretRewrapper.JobKey;

    protected override Task<JobOutcome> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<SecretRewrapper>().RunJobAsync(cancellationToken);
}
