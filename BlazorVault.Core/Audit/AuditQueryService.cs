using System.Runtime.CompilerServices;
using BlazorVault.Core.Access;
using BlazorVault.Core.Audit.Entities;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Audit;

/// <summary>
/// The audit log as people read it: administrators' filtered pages (newest first) and streamed exports, and for agents
/// a customer's Access log.
/// </summary>
public sealed class AuditQueryService(ICurrentActor currentActor, IDbContextFactory<BlazorVaultDbContext> contextFactory)
{
    public const int MaxPageSize = 200;

    /// <summary>One page, newest first, with keyset paging (<see cref="AuditQuery.Before"/>): no count of a large table.</summary>
    public async Task<AuditPage> ListAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var events = Filter(db.AuditEvents.AsNoTracking(), query);
        if (query.Before is { } before)
        {
            events = events.Where(e => e.Sequence < before);
        }

        var items = await events.OrderByDescending(e => e.Sequence).Take(size + 1).Select(View(db)).ToListAsync(cancellationToken);
        return new AuditPage(items.Take(size).ToList(), items.Count > size);
    }

    /// <summary>
    /// The customer's Access log: reveals, copies and changes of its stored passwords, newest first. For agents whose groups
    /// give Manage on a table there.
    /// </summary>
    public async Task<IReadOnlyList<AuditEventView>> ListAccessLogAsync(
        int customerId,
        int take = 100,
        CancellationToken cancellationToken = default
    )
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            throw new NotFoundException("The customer");
        }

        if (!(await CustomerRights.DemandAsync(db, actor, customerId, cancellationToken)).CanSeeAccessLog)
        {
            throw new AccessDeniedException("The Access log needs Manage on a table of this customer.");
        }

        var actions = AuditActions.VaultAccess;
        return await db
            .AuditEvents.AsNoTracking()
            .Where(e => e.CustomerId == customerId && actions.Contains(e.Action))
            .OrderByDescending(e => e.Sequence)
            .Take(Math.Clamp(take, 1, Paging.MaxPageSize))
            .Select(View(db))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Every matching event, oldest first, read from the database as it is written out.</summary>
    public async IAsyncEnumerable<AuditEventView> ExportAsync(
        AuditQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var events = Filter(db.AuditEvents.AsNoTracking(), query).OrderBy(e => e.Sequence).Select(View(db)).AsAsyncEnumerable();
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            yield return e;
        }
    }

    /// <summary>Accounts whose name or email contains the text, for the actor filter.</summary>
    public async Task<IReadOnlyList<AuditActorOption>> SearchActorsAsync(string? text, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var term = (text ?? "").Trim();
        var normalized = term.ToUpperInvariant();
        return await db
            .Users.AsNoTracking()
            .Where(u => term.Length == 0 || u.NormalizedEmail!.Contains(normalized) || u.DisplayName.Contains(term))
            .OrderBy(u => u.DisplayName)
            .Take(20)
            .Select(u => new AuditActorOption(u.Id, u.DisplayName, u.Email ?? ""))
            .ToListAsync(cancellationToken);
    }

    private static IQueryable<AuditEvent> Filter(IQueryable<AuditEvent> events, AuditQuery query)
    {
        if (query.ActorId is { } actorId)
        {
            events = events.Where(e => e.ActorId == actorId);
        }

        if (!string.IsNullOrEmpty(query.Action))
        {
            events = events.Where(e => e.Action == query.Action);
        }

        if (query.CustomerId is { } customerId)
        {
            events = events.Where(e => e.CustomerId == customerId);
        }

        if (query.From is { } from)
        {
            events = events.Where(e => e.OccurredAt >= from);
        }

        if (query.To is { } to)
        {
            events = events.Where(e => e.OccurredAt < to);
        }

        return events;
    }

    private static System.Linq.Expressions.Expression<Func<AuditEvent, AuditEventView>> View(BlazorVaultDbContext db) =>
        e => new AuditEventView(
            e.Sequence,
            e.OccurredAt,
            e.ActorId,
            e.ActorName,
            e.Action,
            e.TargetType,
            e.TargetId,
            e.CustomerId,
            db.Customers.Where(c => c.Id == e.CustomerId).Select(c => c.Name).FirstOrDefault(),
            e.IpAddress,
            e.UserAgent,
            e.Details,
            e.Server
        );
}
