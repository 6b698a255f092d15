using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Audit;

public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddScoped<AuditOriginHolder>();
        services.AddScoped<IAuditLog, AuditLog>();
        services.AddScoped<AuditVerifier>();
        services.AddScoped<AuditQueryService>();
        return services;
    }
}
