namespace BlazorVault.Core.Tickets.Entities;

/// <summary>Who did something on a ticket, as the timeline shows it.</summary>
public sealed record TicketActor(string UserId, string Name);
