using System.Diagnostics.CodeAnalysis;
using BlazorVault.Core.Access;
using BlazorVault.Core.Common;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Tickets.Entities;
using BlazorVault.Core.Tickets.Models;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Tickets;

/// <summary>
/// Tickets for agents (the customers their groups cover; every customer for administrators) and portal users (their own
/// customer's tickets only, without internal notes). A ticket outside the caller's customers is reported as not found, so
/// its existence does not leak.
/// </summary>
public sealed class TicketService(ICurrentActor currentActor, IDbContextFactory<BlazorVaultDbContext> contextFactory, TimeProvider time)
{
    [SuppressMessage(
        "Globalization",
        "CA1304",
        Justification = "ToUpper() inside the query becomes SQL upper(); no .NET culture is involved."
    )]
    [SuppressMessage(
        "Globalization",
        "CA1311",
        Justification = "ToUpper() inside the query becomes SQL upper(); no .NET culture is involved."
    )]
    public async Task<PagedResult<TicketSummary>> ListAsync(TicketQuery query, CancellationToken cancellationToken = default)
    {
        var actor = await RequireSignedInAsync(cancellationToken);
        var (page, pageSize) = Paging.Normalize(query.Page, query.PageSize);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        var tickets = db.Tickets.AsNoTracking().InScope(db, actor, t => t.CustomerId);
        var customerId = actor.IsAgent ? query.CustomerId : actor.CustomerId;
        if (customerId is not null)
        {
            tickets = tickets.Where(t => t.CustomerId == customerId);
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            tickets = tickets.Where(t => statuses.Contains(t.Status));
        }

        if (query.Priority is { } priority)
        {
            tickets = tickets.Where(t => t.Priority == priority);
        }

        var search = query.Search?.Trim().TrimStart('#');
        if (!string.IsNullOrEmpty(search))
        {
            // Upper-cased on both sides: LIKE ignores case on SQLite but not on PostgreSQL.
            var pattern =
                "%"
                + search
                    .ToUpperInvariant()
                    .Replace("\\", "\\\\", StringComparison.Ordinal)
                    .Replace("%", "\\%", StringComparison.Ordinal)
                    .Replace("_", "\\_", StringComparison.Ordinal)
                + "%";
            tickets = int.TryParse(search, out var number)
                ? tickets.Where(t => t.Id == number || EF.Functions.Like(t.Subject.ToUpper(), pattern, "\\"))
                : tickets.Where(t => EF.Functions.Like(t.Subject.ToUpper(), pattern, "\\"));
        }

        var total = await tickets.CountAsync(cancellationToken);
        var items = await tickets
            .OrderByDescending(t => t.UpdatedAt)
            .ThenByDescending(t => t.Id)
            .Skip(page * pageSize)
            .Take(pageSize)
            .Select(t => new TicketSummary(
                t.Id,
                t.Subject,
                t.CustomerId,
                db.Customers.Where(c => c.Id == t.CustomerId).Select(c => c.Name).Single(),
                db.Users.Where(u => u.Id == t.RequesterId).Select(u => u.DisplayName).Single(),
                t.Status,
                t.Priority,
                t.CreatedAt,
                t.UpdatedAt
            ))
            .ToListAsync(cancellationToken);
        return new PagedResult<TicketSummary>(items, total, page, pageSize);
    }

    public async Task<TicketDetails> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        var actor = await RequireSignedInAsync(cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db
            .Tickets.AsNoTracking()
            .Where(t => t.Id == id)
            .InScope(db, actor, t => t.CustomerId)
            .Select(t => new
            {
                t.Id,
                t.Subject,
                t.Description,
                t.CustomerId,
                CustomerName = db.Customers.Where(c => c.Id == t.CustomerId).Select(c => c.Name).Single(),
                t.RequesterId,
                Requester = db.Users.Where(u => u.Id == t.RequesterId).Select(u => new { u.DisplayName, u.Email }).Single(),
                t.Status,
                t.Priority,
                t.CreatedAt,
                t.UpdatedAt,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (ticket is null || !CanSee(actor, ticket.CustomerId))
        {
            throw new NotFoundException("The ticket");
        }

        var activities = db.TicketActivities.AsNoTracking().Where(a => a.TicketId == id);
        if (!actor.IsAgent)
        {
            activities = activities.Where(a => a.Kind != TicketActivityKind.InternalNote && a.Kind != TicketActivityKind.SecureMessage);
        }

        var timeline = await activities
            .OrderBy(a => a.CreatedAt)
            .ThenBy(a => a.Id)
            .Select(a => new TicketActivityView(a.Id, a.Kind, a.Body, a.ActorName, a.CreatedAt))
            .ToListAsync(cancellationToken);

        return new TicketDetails(
            ticket.Id,
            ticket.Subject,
            ticket.Description,
            ticket.CustomerId,
            ticket.CustomerName,
            ticket.RequesterId,
            ticket.Requester.DisplayName,
            ticket.Requester.Email ?? "",
            ticket.Status,
            ticket.Priority,
            ticket.CreatedAt,
            ticket.UpdatedAt,
            timeline
        );
    }

    public async Task<int> CreateAsync(NewTicketInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();

        var v = new InputValidator();
        if (input.CustomerId is null)
        {
            v.Add(nameof(input.CustomerId), "Choose a customer.");
        }

        if (string.IsNullOrEmpty(input.RequesterId))
        {
            v.Add(nameof(input.RequesterId), "Choose the requester.");
        }

        var subject = v.Required(nameof(input.Subject), "Subject", input.Subject, Ticket.SubjectMaxLength);
        var description = v.Required(nameof(input.Description), "Description", input.Description, Ticket.DescriptionMaxLength);
        if (!Enum.IsDefined(input.Priority))
        {
            v.Add(nameof(input.Priority), "Choose a priority.");
        }

        v.ThrowIfInvalid();

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var customerId = input.CustomerId!.Value;
        if (!await db.Customers.Where(c => c.Id == customerId).InScope(db, actor, c => c.Id).AnyAsync(cancellationToken))
        {
            throw new ValidationFailedException(nameof(input.CustomerId), "That customer does not exist.");
        }

        if (!await PortalUserService.PortalUsers(db, customerId).AnyAsync(u => u.Id == input.RequesterId, cancellationToken))
        {
            throw new ValidationFailedException(nameof(input.RequesterId), "The requester must be a portal user of this customer.");
        }

        var ticket = Ticket.Open(
            customerId,
            input.RequesterId!,
            subject,
            description,
            input.Priority,
            By(actor),
            time.GetUtcNow().UtcDateTime
        );
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(cancellationToken);
        return ticket.Id;
    }

    /// <summary>Agents may add internal notes; portal users add comments to their own customer's tickets.</summary>
    public async Task AddCommentAsync(int ticketId, string? body, bool isInternal, CancellationToken cancellationToken = default)
    {
        var actor = await RequireSignedInAsync(cancellationToken);
        if (isInternal && !actor.IsAgent)
        {
            throw new AccessDeniedException("Only agents can add internal notes.");
        }

        var v = new InputValidator();
        var text = v.Required("Body", "Comment", body, TicketActivity.BodyMaxLength);
        v.ThrowIfInvalid();

        await UpdateTicketAsync(
            actor,
            ticketId,
            t => t.AddComment(text, isInternal, By(actor), byRequesterSide: !actor.IsAgent, time.GetUtcNow().UtcDateTime),
            cancellationToken
        );
    }

    public async Task ChangeStatusAsync(int ticketId, TicketStatus status, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        if (!Enum.IsDefined(status))
        {
            throw new ValidationFailedException("Status", "Unknown status.");
        }

        await UpdateTicketAsync(actor, ticketId, t => t.ChangeStatus(status, By(actor), time.GetUtcNow().UtcDateTime), cancellationToken);
    }

    public async Task ChangePriorityAsync(int ticketId, TicketPriority priority, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        if (!Enum.IsDefined(priority))
        {
            throw new ValidationFailedException("Priority", "Unknown priority.");
        }

        await UpdateTicketAsync(
            actor,
            ticketId,
            t => t.ChangePriority(priority, By(actor), time.GetUtcNow().UtcDateTime),
            cancellationToken
        );
    }

    public async Task EditAsync(int ticketId, TicketEditInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        var v = new InputValidator();
        var subject = v.Required(nameof(input.Subject), "Subject", input.Subject, Ticket.SubjectMaxLength);
        var description = v.Required(nameof(input.Description), "Description", input.Description, Ticket.DescriptionMaxLength);
        v.ThrowIfInvalid();
        await UpdateTicketAsync(
            actor,
            ticketId,
            t => t.Edit(subject, description, By(actor), time.GetUtcNow().UtcDateTime),
            cancellationToken
        );
    }

    private async Task UpdateTicketAsync(Actor actor, int ticketId, Action<Ticket> change, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db
            .Tickets.Where(t => t.Id == ticketId)
            .InScope(db, actor, t => t.CustomerId)
            .SingleOrDefaultAsync(cancellationToken);
        if (ticket is null || !CanSee(actor, ticket.CustomerId))
        {
            throw new NotFoundException("The ticket");
        }

        change(ticket);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<Actor> RequireSignedInAsync(CancellationToken cancellationToken)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        if (!actor.IsAgent && !actor.IsPortalUser)
        {
            throw new AccessDeniedException("Sign in to see tickets.");
        }

        return actor;
    }

    private static bool CanSee(Actor actor, int customerId) => actor.IsAgent || actor.CustomerId == customerId;

    private static TicketActor By(Actor actor) => new(actor.UserId ?? "system", actor.Name);
}
