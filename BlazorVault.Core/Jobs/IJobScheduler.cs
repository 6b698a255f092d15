using BlazorVault.Core.Jobs.Models;

namespace BlazorVault.Core.Jobs;

/// <summary>The scheduler behind the jobs (Quartz.NET in the web host); Core decides who may use it.</summary>
public interface IJobScheduler
{
    IReadOnlyList<JobDescription> Jobs { get; }

    Task<DateTime?> GetNextRunAsync(string jobKey, CancellationToken cancellationToken = default);

    /// <summary>Runs the job once, at once, on whichever node of a cluster acquires it first.</summary>
    Task TriggerAsync(string jobKey, CancellationToken cancellationToken = default);

    /// <summary>Whether the job is running now: in this process, or on any node of a cluster (PostgreSQL).</summary>
    Task<bool> IsRunningAsync(string jobKey, CancellationToken cancellationToken = default);
}
