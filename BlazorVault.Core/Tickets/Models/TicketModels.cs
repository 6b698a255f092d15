using BlazorVault.Core.Tickets.Entities;

namespace BlazorVault.Core.Tickets.Models;

/// <param name="Statuses">Statuses to include; null means every status.</param>
public sealed record TicketQuery(
    string? Search = null,
    int? CustomerId = null,
    IReadOnlyCollection<TicketStatus>? Statuses = null,
    TicketPriority? Priority = null,
    int Page = 0,
    int PageSize = 25
);

public sealed record TicketSummary(
    int Id,
    string Subject,
    int CustomerId,
    string CustomerName,
    string RequesterName,
    TicketStatus Status,
    TicketPriority Priority,
    DateTime CreatedAt,
    DateTime UpdatedAt
);

public sealed record TicketActivityView(long Id, TicketActivityKind Kind, string? Body, string ActorName, DateTime CreatedAt);

public sealed record TicketDetails(
    int Id,
    string Subject,
    string Description,
    int CustomerId,
    string CustomerName,
    string RequesterId,
    string RequesterName,
    string RequesterEmail,
    TicketStatus Status,
    TicketPriority Priority,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<TicketActivityView> Timeline
);

/// <summary>Form model for a new ticket.</summary>
public sealed class NewTicketInput
{
    public int? CustomerId { get; set; }

    public string? RequesterId { get; set; }

    public string Subject { get; set; } = "";

    public string Description { get; set; } = "";

    public TicketPriority Priority { get; set; } = TicketPriority.Medium;
}

/// <summary>Form model for editing a ticket's subject and description.</summary>
public sealed class TicketEditInput
{
    public string Subject { get; set; } = "";

    public string Description { get; set; } = "";
}
