using System.Globalization;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Access;

/// <summary>
/// Configuration &gt; Agent groups, for administrators: who is in each group, which customers it covers and its level on
/// each custom table. Every change is audited and reaches open customer pages on every node.
/// </summary>
public sealed class AgentGroupService(
    ICurrentActor currentActor,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    ISettingsChangeNotifier changes,
    TimeProvider time
)
{
    /// <summary>The most customers one group names; a group for more covers all customers.</summary>
    public const int MaxCustomers = 10_000;

    public async Task<IReadOnlyList<AgentGroupSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db
            .AgentGroups.OrderByDescending(g => g.IsBuiltIn)
            .ThenBy(g => g.Name)
            .Select(g => new AgentGroupSummary(
                g.Id,
                g.Name,
                g.IsBuiltIn,
                g.AllCustomers,
                g.Customers.Count,
                g.Members.Count,
                g.OtherTables,
                g.CanApprove
            ))
            .ToListAsync(cancellationToken);
    }

    public async Task<AgentGroupDetails> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var group =
            await db
                .AgentGroups.AsNoTracking()
                .AsSplitQuery()
                .Include(g => g.Members)
                .Include(g => g.Customers)
                .Include(g => g.Tables)
                .SingleOrDefaultAsync(g => g.Id == id, cancellationToken)
            ?? throw new NotFoundException("The agent group");
        var memberIds = group.Members.Select(m => m.UserId).ToList();
        var members = await db
            .Users.Where(u => memberIds.Contains(u.Id))
            .OrderBy(u => u.DisplayName)
            .Select(u => new AgentGroupMemberView(u.Id, u.DisplayName, u.Email ?? ""))
            .ToListAsync(cancellationToken);
        var customerIds = group.Customers.Select(c => c.CustomerId).ToList();
        var customers = await db
            .Customers.Where(c => customerIds.Contains(c.Id))
            .OrderBy(c => c.Name)
            .Select(c => new AgentGroupCustomerView(c.Id, c.Name))
            .ToListAsync(cancellationToken);
        var levels = group.Tables.ToDictionary(t => t.TableId, t => t.Level);
        var tables = await db.CustomTables.OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        return new AgentGroupDetails(
            group.Id,
            group.Name,
            group.IsBuiltIn,
            group.AllCustomers,
            group.OtherTables,
            group.CanApprove,
            members,
            customers,
            [.. tables.Select(t => new AgentGroupTableView(t.Id, t.Name, levels.GetValueOrDefault(t.Id, group.OtherTables)))]
        );
    }

    public async Task<int> CreateAsync(AgentGroupInput input, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var definition = await ValidateAsync(db, null, input, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var group = new AgentGroup(definition.Name, time.GetUtcNow().UtcDateTime);
        group.Change(definition, time.GetUtcNow().UtcDateTime);
        db.AgentGroups.Add(group);
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync(db, group, "created", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
        return group.Id;
    }

    public async Task UpdateAsync(int id, AgentGroupInput input, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var definition = await ValidateAsync(db, id, input, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var group =
            await db
                .AgentGroups.AsSplitQuery()
                .Include(g => g.Members)
                .Include(g => g.Customers)
                .Include(g => g.Tables)
                .SingleOrDefaultAsync(g => g.Id == id, cancellationToken)
            ?? throw new NotFoundException("The agent group");
        var removed = group.Members.Select(m => m.UserId).Except(definition.MemberIds, StringComparer.Ordinal).ToList();
        db.AgentGroupMembers.RemoveRange(group.Members);
        db.AgentGroupCustomers.RemoveRange(group.Customers);
        db.AgentGroupTables.RemoveRange(group.Tables);
        group.Change(definition, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        await MarkNarrowedAsync(db, removed, cancellationToken);
        await AuditAsync(db, group, "changed", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
    }

    /// <summary>Deletes a group; its members keep what their other groups give. The built-in group stays (it may be emptied).</summary>
    public async Task DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var group =
            await db.AgentGroups.Include(g => g.Members).SingleOrDefaultAsync(g => g.Id == id, cancellationToken)
            ?? throw new NotFoundException("The agent group");
        if (group.IsBuiltIn)
        {
            throw new ValidationFailedException("", $"'{group.Name}' is built in: remove its members instead of deleting it.");
        }

        var removed = group.Members.Select(m => m.UserId).ToList();
        db.AgentGroups.Remove(group);
        await db.SaveChangesAsync(cancellationToken);
        await MarkNarrowedAsync(db, removed, cancellationToken);
        await AuditAsync(db, group, "deleted", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
    }

    /// <summary>Agents taken out of a group: Configuration &gt; Agents shows what they revealed that has not changed since.</summary>
    private async Task MarkNarrowedAsync(BlazorVaultDbContext db, List<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await db
            .Users.Where(u => userIds.Contains(u.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.AccessNarrowedAt, now), cancellationToken);
    }

    private Task AuditAsync(BlazorVaultDbContext db, AgentGroup group, string change, CancellationToken cancellationToken) =>
        audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.AgentGroupChanged,
                "AgentGroup",
                group.Id.ToString(CultureInfo.InvariantCulture),
                Details: new Dictionary<string, object?>
                {
                    ["group"] = group.Name,
                    ["change"] = change,
                    ["members"] = group.Members.Count,
                    ["customers"] = group.AllCustomers ? "all" : group.Customers.Count.ToString(CultureInfo.InvariantCulture),
                    ["otherTables"] = group.OtherTables.ToString(),
                    ["tables"] = string.Join(", ", group.Tables.Select(t => $"{t.TableId}:{t.Level}")),
                    ["canApprove"] = group.CanApprove,
                }
            ),
            cancellationToken
        );

    private static async Task<AgentGroupDefinition> ValidateAsync(
        BlazorVaultDbContext db,
        int? id,
        AgentGroupInput input,
        CancellationToken cancellationToken
    )
    {
        var errors = new Dictionary<string, string[]>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > AgentGroup.NameMaxLength)
        {
            errors[nameof(AgentGroupInput.Name)] = [$"Enter a name of at most {AgentGroup.NameMaxLength} characters."];
        }
        else if (await db.AgentGroups.AnyAsync(g => g.Name == name && g.Id != id, cancellationToken))
        {
            errors[nameof(AgentGroupInput.Name)] = ["A group with this name exists."];
        }

        var memberIds = input.MemberIds.Distinct(StringComparer.Ordinal).ToList();
        var agents = await db.UserRoles.CountAsync(
            ur => memberIds.Contains(ur.UserId) && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Agent),
            cancellationToken
        );
        if (agents != memberIds.Count)
        {
            errors[nameof(AgentGroupInput.MemberIds)] = ["Choose existing agents."];
        }

        var customerIds = input.AllCustomers ? [] : input.CustomerIds.Distinct().ToList();
        if (customerIds.Count > MaxCustomers)
        {
            errors[nameof(AgentGroupInput.CustomerIds)] = [$"Choose at most {MaxCustomers:N0} customers, or all customers."];
        }
        else if (await db.Customers.CountAsync(c => customerIds.Contains(c.Id), cancellationToken) != customerIds.Count)
        {
            errors[nameof(AgentGroupInput.CustomerIds)] = ["Choose existing customers."];
        }

        var tableIds = input.TableLevels.Keys.ToList();
        if (
            !Enum.IsDefined(input.OtherTables)
            || input.TableLevels.Values.Any(l => !Enum.IsDefined(l))
            || await db.CustomTables.CountAsync(t => tableIds.Contains(t.Id), cancellationToken) != tableIds.Count
        )
        {
            errors[nameof(AgentGroupInput.TableLevels)] = ["Choose a level for existing tables."];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return new AgentGroupDefinition(
            name,
            input.AllCustomers,
            input.OtherTables,
            input.CanApprove,
            memberIds,
            customerIds,
            input.TableLevels
        );
    }
}
