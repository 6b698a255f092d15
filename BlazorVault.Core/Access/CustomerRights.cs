using System.Linq.Expressions;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace BlazorVault.Core.Access;

/// <summary>
/// What one agent may do at one customer: whether any of their groups covers the customer, and their level on each custom
/// table there (the greatest of those groups'). Administrators and the application itself have every right. Read from the
/// database on every call, inside the caller's query or transaction, so a group change takes effect on the next call.
/// </summary>
public sealed class CustomerRights
{
    private readonly IReadOnlyList<(AccessLevel OtherTables, IReadOnlyDictionary<int, AccessLevel> Tables)>? _groups;

    private CustomerRights(IReadOnlyList<(AccessLevel, IReadOnlyDictionary<int, AccessLevel>)>? groups) => _groups = groups;

    /// <summary>An administrator's: every table at Manage.</summary>
    public static CustomerRights Full { get; } = new(null);

    /// <summary>At least one of the agent's groups covers the customer.</summary>
    public bool InScope => _groups is null || _groups.Count > 0;

    /// <summary>The customer's Access log tab: Manage on any table there.</summary>
    public bool CanSeeAccessLog =>
        _groups is null || _groups.Any(g => g.OtherTables == AccessLevel.Manage || g.Tables.Values.Contains(AccessLevel.Manage));

    public AccessLevel LevelOn(int tableId) =>
        _groups is null
            ? AccessLevel.Manage
            : _groups.Select(g => g.Tables.GetValueOrDefault(tableId, g.OtherTables)).DefaultIfEmpty(AccessLevel.None).Max();

    /// <summary>The actor's rights at the customer; for an agent, one query over the groups that cover it.</summary>
    internal static async Task<CustomerRights> ReadAsync(
        BlazorVaultDbContext db,
        Actor actor,
        int customerId,
        CancellationToken cancellationToken
    )
    {
        if (!AgentScope.IsScoped(actor))
        {
            return Full;
        }

        var groups = await AgentScope
            .GroupsCovering(db, actor, customerId)
            .Select(g => new { g.OtherTables, Tables = g.Tables.Select(t => new { t.TableId, t.Level }).ToList() })
            .ToListAsync(cancellationToken);
        return new CustomerRights([
            .. groups.Select(g =>
                (g.OtherTables, (IReadOnlyDictionary<int, AccessLevel>)g.Tables.ToDictionary(t => t.TableId, t => t.Level))
            ),
        ]);
    }

    /// <summary>The actor's level on the table at the customer; null when no group of theirs covers the customer.</summary>
    internal static async Task<AccessLevel?> LevelAtAsync(
        BlazorVaultDbContext db,
        Actor actor,
        int customerId,
        int tableId,
        CancellationToken cancellationToken
    )
    {
        var rights = await ReadAsync(db, actor, customerId, cancellationToken);
        return rights.InScope ? rights.LevelOn(tableId) : null;
    }

    /// <summary>Not found unless some group covers the customer: an agent out of scope learns nothing of it.</summary>
    internal static async Task<CustomerRights> DemandAsync(
        BlazorVaultDbContext db,
        Actor actor,
        int customerId,
        CancellationToken cancellationToken
    )
    {
        var rights = await ReadAsync(db, actor, customerId, cancellationToken);
        return rights.InScope ? rights : throw new NotFoundException("The customer");
    }
}

/// <summary>The customer scope as a filter inside other queries.</summary>
internal static class AgentScope
{
    /// <summary>Agents who are not administrators get their rights from groups; administrators and jobs have them all.</summary>
    public static bool IsScoped(Actor actor) => actor.IsAgent && !actor.IsAdmin && !actor.IsSystem;

    /// <summary>The actor's groups that cover the customer (only meaningful for a scoped actor).</summary>
    public static IQueryable<AgentGroup> GroupsCovering(BlazorVaultDbContext db, Actor actor, int customerId)
    {
        var userId = actor.UserId;
        return db.AgentGroups.Where(g =>
            g.Members.Any(m => m.UserId == userId) && (g.AllCustomers || g.Customers.Any(c => c.CustomerId == customerId))
        );
    }

    /// <summary>
    /// Whether the user may reveal passwords of the row, as part of another query: some group of theirs covers the row's
    /// customer and gives Reveal or more on its table (its own level for the table, or else its level for other tables), the
    /// rule of <see cref="CustomerRights.LevelOn"/> as one EXISTS. Only for scoped actors (<see cref="IsScoped"/>).
    /// </summary>
    public static readonly Expression<Func<BlazorVaultDbContext, CustomRow, string?, bool>> CanReveal = (db, r, userId) =>
        db.AgentGroupMembers.Any(m =>
            m.UserId == userId
            && (m.Group.AllCustomers || m.Group.Customers.Any(c => c.CustomerId == r.CustomerId))
            && (
                m.Group.Tables.Any(t => t.TableId == r.TableId && t.Level >= AccessLevel.Reveal)
                || (m.Group.OtherTables >= AccessLevel.Reveal && !m.Group.Tables.Any(t => t.TableId == r.TableId))
            )
        );

    /// <summary>
    /// Only what belongs to customers the actor's groups cover, decided in the same query: <paramref name="customerOf"/>
    /// picks each item's customer.
    /// </summary>
    public static IQueryable<T> InScope<T>(
        this IQueryable<T> source,
        BlazorVaultDbContext db,
        Actor actor,
        Expression<Func<T, int>> customerOf
    )
    {
        if (!IsScoped(actor))
        {
            return source;
        }

        var userId = actor.UserId;
        Expression<Func<int, bool>> covered = customerId =>
            db.AgentGroupMembers.Any(m =>
                m.UserId == userId && (m.Group.AllCustomers || m.Group.Customers.Any(c => c.CustomerId == customerId))
            );
        var body = ReplacingExpressionVisitor.Replace(covered.Parameters[0], customerOf.Body, covered.Body);
        return source.Where(Expression.Lambda<Func<T, bool>>(body, customerOf.Parameters));
    }
}
