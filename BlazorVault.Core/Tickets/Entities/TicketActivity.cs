namespace BlazorVault.Core.Tickets.Entities;

public enum TicketActivityKind
{
    Created,
    Comment,
    InternalNote,
    StatusChanged,
    PriorityChanged,
    Edited,

    /// <summary>
    /// A one-time secure message's life (created, viewed, failed passphrase, locked, expired); agents only, never its content.
    /// </summary>
    SecureMessage,
}

/// <summary>One entry on a ticket's timeline. Internal notes are for agents only.</summary>
public sealed class TicketActivity
{
    public const int BodyMaxLength = 10_000;

    public long Id { get; private set; }

    public int TicketId { get; private set; }

    public TicketActivityKind Kind { get; private set; }

    public string? Body { get; private set; }

    public string ActorId { get; private set; } = "";

    public string ActorName { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public bool IsVisibleToPortal => Kind is not (TicketActivityKind.InternalNote or TicketActivityKind.SecureMessage);

    internal static TicketActivity Create(TicketActivityKind kind, string? body, TicketActor by, DateTime now) =>
        new()
        {
            Kind = kind,
            Body = body,
            ActorId = by.UserId,
            ActorName = by.Name,
            CreatedAt = now,
        };

    /// <summary>An entry added without loading the ticket (secure message events).</summary>
    internal static TicketActivity ForTicket(int ticketId, TicketActivityKind kind, string body, TicketActor by, DateTime now) =>
        new()
        {
            TicketId = ticketId,
            Kind = kind,
            Body = body,
            ActorId = by.UserId,
            ActorName = by.Name,
            CreatedAt = now,
        };
}
