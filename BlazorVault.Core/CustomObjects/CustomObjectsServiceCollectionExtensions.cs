using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.CustomObjects;

public static class CustomObjectsServiceCollectionExtensions
{
    public static IServiceCollection AddCustomObjects(this IServiceCollection services)
    {
        services.AddScoped<CustomTableService>();
        services.AddScoped<CustomTableFieldService>();
        services.AddScoped<CustomerFieldService>();
        services.AddScoped<CustomerVaultService>();
        services.AddScoped<RevealSecretCommand>();
        return services;
    }
}
