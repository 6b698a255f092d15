namespace BlazorVault.Core.Tickets.Entities;

public enum TicketStatus
{
    New,
    InProgress,
    WaitingOnCustomer,
    Resolved,
    Closed,
}
