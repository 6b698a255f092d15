using BlazorVault.Core.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BlazorVault.Hosting;

/// <summary>
/// <c>/healthz</c> (the process answers) and <c>/readyz</c> (database reachable and migrated, key ring healthy) for load
/// balancers: unauthenticated, first in the pipeline (no HTTPS redirect, no first-run redirect), never cached, and saying
/// only Healthy or Unhealthy (503).
/// </summary>
internal static class HealthEndpoints
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";
    private const string Ready = "ready";

    public static IServiceCollection AddHealthEndpoints(this IServiceCollection services)
    {
        services
            .AddHealthChecks()
            .AddCheck<DatabaseReady>("database", tags: [Ready], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<KeyRingReady>("key ring", tags: [Ready], timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    public static IApplicationBuilder UseHealthEndpoints(this IApplicationBuilder app) =>
        app.UseHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false })
            .UseHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) });

    private sealed class DatabaseReady(ReadinessProbe probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await probe.IsDatabaseReadyAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy();
    }

    private sealed class KeyRingReady(ReadinessProbe probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await probe.IsKeyRingReadyAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy();
    }
}
