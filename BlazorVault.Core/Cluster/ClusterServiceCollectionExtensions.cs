using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Cluster;

public static class ClusterServiceCollectionExtensions
{
    public static IServiceCollection AddCluster(this IServiceCollection services, ClusterOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<ThisNode>();
        return services;
    }
}
