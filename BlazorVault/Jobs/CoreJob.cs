using BlazorVault.Core.Jobs;
using BlazorVault.Core.Jobs.Models;
using BlazorVault.Core.Security;
using Quartz;

namespace BlazorVault.Jobs;

/// <summary>
/// A Quartz job as a thin adapter: a fresh scope acting as the system, the Core work run and recorded (start, end,
/// result; failures logged and shown on the Jobs page).
/// </summary>
internal abstract class CoreJob(IServiceScopeFactory scopeFactory) : IJob
{
    protected abstract string Key { get; }

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<SystemActorScope>().Enter();
        await scope
            .ServiceProvider.GetRequiredService<JobRunRecorder>()
            .RunAsync(Key, ct => RunAsync(scope.ServiceProvider, ct), cancellationToken);
    }

    protected abstract Task<JobOutcome> RunAsync(IServiceProvider services, CancellationToken cancellationToken);
}
