namespace BlazorVault.Core.Tickets.Entities;

public enum TicketPriority
{
    Low,
    Medium,
    High,
    Critical,
}
