using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Customers;

public static class CustomersServiceCollectionExtensions
{
    public static IServiceCollection AddCustomers(this IServiceCollection services)
    {
        services.AddScoped<CustomerService>();
        services.AddScoped<PortalUserService>();
        return services;
    }
}
