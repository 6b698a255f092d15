using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Tickets;

public static class TicketsServiceCollectionExtensions
{
    public static IServiceCollection AddTickets(this IServiceCollection services)
    {
        services.AddScoped<TicketService>();
        return services;
    }
}
