namespace BlazorVault.Core.Tickets.Entities;

public static class TicketText
{
    public static string Status(TicketStatus status) =>
        status switch
        {
            TicketStatus.New => "New",
            TicketStatus.InProgress => "In progress",
            TicketStatus.WaitingOnCustomer => "Waiting on customer",
            TicketStatus.Resolved => "Resolved",
            TicketStatus.Closed => "Closed",
            _ => status.ToString(),
        };
}
