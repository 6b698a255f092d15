using BlazorVault.Core.Jobs.Models;

namespace BlazorVault.Core.Jobs;

/// <summary>The scheduler behind the jobs (Quartz.NET in the web host); Core decides who may use it.</summary>
public interface IJobScheduler
{
    IReadOnlyList<JobDescription> Jobs { get; }

    Task<DateTime?> GetNextRunAsync(string jobKey, CancellationToken cancellationToken = default);

    Task TriggerAsync(string jobKey, CancellationToken cancellationToken = default);

    /// <summary>Whether the job is running in this process now.</summary>
    Task<bool> IsRunningAsync(string jobKey, CancellationToken cancellationToken = default);
}
