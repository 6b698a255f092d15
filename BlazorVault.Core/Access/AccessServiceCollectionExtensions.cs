using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Access;

public static class AccessServiceCollectionExtensions
{
    public static IServiceCollection AddAccess(this IServiceCollection services) =>
        services
            .AddScoped<AgentGroupService>()
            .AddScoped<AccessRequestService>()
            .AddScoped<AccessGrantExpirySweep>()
            .AddScoped<AccessNoticeService>()
            .AddScoped<BreakGlassCommand>()
            .AddScoped<AtRiskReportService>()
            .AddScoped<PasswordRotationService>();
}
