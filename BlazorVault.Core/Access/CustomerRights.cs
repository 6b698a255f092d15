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

/// <summary>A row with the actor's level on its table at its customer, computed in the same query.</summary>
internal sealed class RowWithLevel
{
    public required CustomRow Row { get; init; }

    /// <summary>Null: no group of the agent covers the customer.</summary>
    public required AccessLevel? Level { get; init; }
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
    /// Each row with the actor's level on its table at its customer, in the same query (the rule of
    /// <see cref="CustomerRights.LevelOn"/>: the greatest level of the groups that cover the customer, each group's level on
    /// the table or else its level for other tables). Administrators and the system: Manage, without a subquery.
    /// </summary>
    public static IQueryable<RowWithLevel> WithLevel(this IQueryable<CustomRow> rows, BlazorVaultDbContext db, Actor actor)
    {
        if (!IsScoped(actor))
        {
            return rows.Select(r => new RowWithLevel { Row = r, Level = AccessLevel.Manage });
        }

        var userId = actor.UserId;
        return rows.Select(r => new RowWithLevel
        {
            Row = r,
            Level = db
                .AgentGroupMembers.Where(m =>
                    m.UserId == userId && (m.Group.AllCustomers || m.Group.Customers.Any(c => c.CustomerId == r.CustomerId))
                )
                .Max(m =>
                    (AccessLevel?)(
                        m.Group.Tables.Where(t => t.TableId == r.TableId).Select(t => (AccessLevel?)t.Level).FirstOrDefault()
                        ?? m.Group.OtherTables
                    )
                ),
        });
    }

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
