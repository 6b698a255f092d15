using BlazorVault.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Core's side of the jobs; the host adds the scheduler (<see cref="IJobScheduler"/>).</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddScoped<JobRunRecorder>();
        services.AddScoped<JobsService>();
        services.AddScoped<AuditChainCheck>();
        return services;
    }
}
