using System.Globalization;
using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.CustomObjects;

/// <summary>
/// The customer password tab, for agents: rows of the custom tables linked to customers, with password cells that
/// are encrypted secrets, and the customer's Access log. Revealing a password is <see cref="RevealSecretCommand"/>.
/// Portal users never reach any of it.
/// </summary>
public sealed class CustomerVaultService(
    ICurrentActor currentActor,
    IAuditLog audit,
    SecretStore secrets,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
)
{
    /// <summary>
    /// The custom tables shown as tabs on this customer (Customer fields of type Table), with the fields it may see.
    /// </summary>
    /// <remarks>Only the tables the agent's groups give at least List here, each with the agent's level on it.</remarks>
    public async Task<IReadOnlyList<VaultTab>> GetTabsAsync(int customerId, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await CustomerScope.DemandCustomerExistsAsync(db, customerId, cancellationToken);
        var rights = await CustomerRights.DemandAsync(db, actor, customerId, cancellationToken);
        var links = await db
            .CustomerFields.AsNoTracking()
            .Where(f => f.Type == CustomFieldType.Table && f.LinkedTableId != null)
            .OrderBy(f => f.Order)
            .ThenBy(f => f.Id)
            .ToListAsync(cancellationToken);
        var tabs = new List<VaultTab>();
        foreach (var link in links)
        {
            var table = await CustomerScope.LoadTableAsync(db, link.LinkedTableId!.Value, cancellationToken);
            if (table is not null && CustomerScope.IsVisible(table.Visibility, customerId) && rights.LevelOn(table.Id) >= AccessLevel.List)
            {
                tabs.Add(new VaultTab(table.Id, link.Label, CustomerScope.VisibleFields(table, customerId), rights.LevelOn(table.Id)));
            }
        }

        return tabs;
    }

    /// <summary>Whether the customer's Access log tab is there for the agent: Manage on any table at this customer.</summary>
    public async Task<bool> CanSeeAccessLogAsync(int customerId, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return (await CustomerRights.DemandAsync(db, actor, customerId, cancellationToken)).CanSeeAccessLog;
    }

    public async Task<PagedResult<VaultRowView>> ListRowsAsync(
        int customerId,
        int tableId,
        VaultRowQuery query,
        CancellationToken cancellationToken = default
    )
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var level = await DemandLevelAsync(db, actor, customerId, tableId, AccessLevel.List, cancellationToken);
        var (table, fields) = await CustomerScope.VisibleTableAsync(db, customerId, tableId, cancellationToken);
        var (page, pageSize) = Paging.Normalize(query.Page, query.PageSize);
        var rows = db.CustomRows.AsNoTracking().Where(r => r.TableId == table.Id && r.CustomerId == customerId);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // Only the fields this customer shows: a hidden field's content must not leak through which rows match.
            var term = query.Search.Trim().ToLowerInvariant();
            var searchable = fields.Where(f => f.Type != CustomFieldType.Password).Select(f => f.Id).ToList();
            rows = rows.Where(r =>
                db.CustomValues.Any(v =>
                    v.RowId == r.Id && searchable.Contains(v.FieldId) && v.SearchText != null && v.SearchText.Contains(term)
                )
            );
        }

        if (query.NeedsRotation)
        {
            var passwords = fields.Where(f => f.Type == CustomFieldType.Password).Select(f => f.Id).ToList();
            rows = rows.Where(r =>
                db.CustomValues.Any(v => v.RowId == r.Id && passwords.Contains(v.FieldId) && v.RotationRequestedAt != null)
            );
        }

        var total = await rows.CountAsync(cancellationToken);
        var sortField = fields.FirstOrDefault(f => f.Id == query.SortFieldId && f.Type != CustomFieldType.Password);
        IQueryable<CustomRow> ordered;
        if (sortField is null)
        {
            ordered = rows.OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id);
        }
        else
        {
            var key = rows.Select(r => new
            {
                Row = r,
                Key = db.CustomValues.Where(v => v.RowId == r.Id && v.FieldId == sortField.Id).Select(v => v.SearchText).FirstOrDefault(),
            });
            ordered = (
                query.Descending
                    ? key.OrderByDescending(k => k.Key).ThenByDescending(k => k.Row.Id)
                    : key.OrderBy(k => k.Key).ThenBy(k => k.Row.Id)
            ).Select(k => k.Row);
        }

        var pageRows = await ordered.Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var ids = pageRows.Select(r => r.Id).ToList();
        var fieldIds = fields.Select(f => f.Id).ToList();
        var values = (
            await db
                .CustomValues.AsNoTracking()
                .Where(v => ids.Contains(v.RowId) && fieldIds.Contains(v.FieldId))
                .ToListAsync(cancellationToken)
        ).ToLookup(v => v.RowId);
        var access = level >= AccessLevel.Reveal ? [] : await OwnRequestsAsync(db, actor, ids, cancellationToken);
        var items = pageRows.Select(r => ToView(r, values[r.Id].ToList(), fields, access)).ToList();
        return new PagedResult<VaultRowView>(items, total, page, pageSize);
    }

    /// <summary>Who can reveal the row's passwords, for anyone who may list the row.</summary>
    public async Task<RowAccessView> GetRowAccessAsync(int rowId, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row =
            await db
                .CustomRows.Where(r => r.Id == rowId)
                .Select(r => new { r.CustomerId, r.TableId })
                .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The row");
        await DemandLevelAsync(db, actor, row.CustomerId, row.TableId, AccessLevel.List, cancellationToken);
        var groups = await db
            .AgentGroups.Where(g => g.AllCustomers || g.Customers.Any(c => c.CustomerId == row.CustomerId))
            .Select(g => new
            {
                g.Name,
                Level = g.Tables.Where(t => t.TableId == row.TableId).Select(t => (AccessLevel?)t.Level).FirstOrDefault() ?? g.OtherTables,
                Members = g.Members.Select(m => m.UserId).ToList(),
            })
            .ToListAsync(cancellationToken);
        var revealing = groups.Where(g => g.Level >= AccessLevel.Reveal).ToList();
        var memberIds = revealing.SelectMany(g => g.Members).Distinct().ToList();
        var agents = await db
            .Users.Where(u => memberIds.Contains(u.Id) && u.DisabledAt == null)
            .OrderBy(u => u.DisplayName)
            .Select(u => u.DisplayName)
            .ToListAsync(cancellationToken);
        var administrators = await db
            .Users.Where(u =>
                u.DisabledAt == null
                && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin))
            )
            .OrderBy(u => u.DisplayName)
            .Select(u => u.DisplayName)
            .ToListAsync(cancellationToken);
        var last = await db
            .CustomValues.Where(v => v.RowId == rowId && v.LastRevealedAt != null)
            .OrderByDescending(v => v.LastRevealedAt)
            .Select(v => new { v.LastRevealedAt, v.LastRevealedBy })
            .FirstOrDefaultAsync(cancellationToken);
        return new RowAccessView(
            [.. revealing.Select(g => g.Name).Order(StringComparer.CurrentCulture)],
            agents,
            administrators,
            last?.LastRevealedAt,
            last?.LastRevealedBy
        );
    }

    public async Task<int> CreateRowAsync(int customerId, int tableId, VaultRowInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await DemandLevelAsync(db, actor, customerId, tableId, AccessLevel.Edit, cancellationToken);
        var (table, fields) = await CustomerScope.VisibleTableAsync(db, customerId, tableId, cancellationToken);
        await CustomValueValidator.ValidateAsync(db, customerId, fields, input, isNew: true, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var row = new CustomRow(table.Id, customerId, now, actor.Name);
        db.CustomRows.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        var changed = await ApplyAsync(db, row, [], fields, input, actor, now, cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(AuditActions.VaultRowCreated, "CustomRow", Id(row.Id), customerId, Details(table, changed)),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return row.Id;
    }

    public async Task UpdateRowAsync(int rowId, VaultRowInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.CustomRows.SingleOrDefaultAsync(r => r.Id == rowId, cancellationToken) ?? throw new NotFoundException("The row");
        await DemandLevelAsync(db, actor, row.CustomerId, row.TableId, AccessLevel.Edit, cancellationToken);
        var (table, fields) = await CustomerScope.VisibleTableAsync(db, row.CustomerId, row.TableId, cancellationToken);
        await CustomValueValidator.ValidateAsync(db, row.CustomerId, fields, input, isNew: false, cancellationToken);
        var existing = await db.CustomValues.Where(v => v.RowId == row.Id).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await ApplyAsync(db, row, existing, fields, input, actor, now, cancellationToken);
        if (changed.Count == 0)
        {
            return;
        }

        row.Touch(now, actor.Name);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(AuditActions.VaultRowChanged, "CustomRow", Id(row.Id), row.CustomerId, Details(table, changed)),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteRowAsync(int rowId, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.CustomRows.SingleOrDefaultAsync(r => r.Id == rowId, cancellationToken) ?? throw new NotFoundException("The row");
        await DemandLevelAsync(db, actor, row.CustomerId, row.TableId, AccessLevel.Edit, cancellationToken);
        var (table, _) = await CustomerScope.VisibleTableAsync(db, row.CustomerId, row.TableId, cancellationToken);
        var entityId = Id(row.Id);
        await db.Secrets.Where(s => s.Purpose == CustomValue.SecretPurpose && s.EntityId == entityId).ExecuteDeleteAsync(cancellationToken);
        db.CustomRows.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.VaultRowDeleted,
                "CustomRow",
                entityId,
                row.CustomerId,
                new Dictionary<string, object?> { ["table"] = table.Name }
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    /// <returns>Labels of the fields that changed (never their values).</returns>
    private async Task<List<string>> ApplyAsync(
        BlazorVaultDbContext db,
        CustomRow row,
        List<CustomValue> existing,
        IReadOnlyList<CustomFieldView> fields,
        VaultRowInput input,
        Actor actor,
        DateTime now,
        CancellationToken cancellationToken
    )
    {
        var changed = new List<string>();
        foreach (var field in fields)
        {
            if (!input.Values.TryGetValue(field.Id, out var raw))
            {
                continue;
            }

            var cell = existing.SingleOrDefault(v => v.FieldId == field.Id);
            if (cell is null)
            {
                cell = new CustomValue(row.Id, field.Id);
                existing.Add(cell);
                db.CustomValues.Add(cell);
            }

            if (field.Type == CustomFieldType.Password)
            {
                if (raw is null)
                {
                    continue;
                }

                if (raw.Length == 0)
                {
                    if (await SecretStore.DeleteAsync(db, CustomValue.SecretSlotOf(row.Id, field.Id), cancellationToken))
                    {
                        cell.RemoveSecret();
                        changed.Add(field.Label);
                    }

                    continue;
                }

                await secrets.WriteAsync(db, CustomValue.SecretSlotOf(row.Id, field.Id), raw, cancellationToken);
                cell.ReplaceSecret(now, actor.Name);
                changed.Add(field.Label);
                continue;
            }

            var text = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
            if (cell.Text != text)
            {
                cell.ChangeText(text);
                changed.Add(field.Label);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return changed;
    }

    /// <summary>The agent's waiting requests and running grants on these rows' passwords, by (row, field).</summary>
    private async Task<Dictionary<(int RowId, int FieldId), CellAccess>> OwnRequestsAsync(
        BlazorVaultDbContext db,
        Actor actor,
        List<int> rowIds,
        CancellationToken cancellationToken
    )
    {
        var now = time.GetUtcNow().UtcDateTime;
        var requests = await db
            .AccessRequests.Where(r =>
                r.RequesterId == actor.UserId
                && rowIds.Contains(r.RowId)
                && (r.Status == AccessRequestStatus.Pending || (r.Status == AccessRequestStatus.Approved && r.GrantedUntil > now))
            )
            .Select(r => new
            {
                r.RowId,
                r.FieldId,
                r.Status,
                r.GrantedUntil,
            })
            .ToListAsync(cancellationToken);
        return requests
            .GroupBy(r => (r.RowId, r.FieldId))
            .ToDictionary(
                g => g.Key,
                g =>
                    g.Where(r => r.Status == AccessRequestStatus.Approved).Max(r => r.GrantedUntil) is { } until
                        ? new CellAccess(false, until)
                        : new CellAccess(true, null)
            );
    }

    private static VaultRowView ToView(
        CustomRow row,
        List<CustomValue> values,
        IReadOnlyList<CustomFieldView> fields,
        Dictionary<(int RowId, int FieldId), CellAccess> access
    )
    {
        var texts = new Dictionary<int, string?>();
        var secretCells = new Dictionary<int, SecretCellView>();
        foreach (var field in fields)
        {
            var cell = values.SingleOrDefault(v => v.FieldId == field.Id);
            if (field.Type == CustomFieldType.Password)
            {
                secretCells[field.Id] = new SecretCellView(
                    cell?.SecretChangedAt is not null,
                    cell?.SecretChangedAt,
                    cell?.SecretChangedBy,
                    cell?.LastRevealedAt,
                    cell?.LastRevealedBy,
                    access.GetValueOrDefault((row.Id, field.Id)),
                    cell?.RotationRequestedAt,
                    cell?.RotationReason
                );
            }
            else
            {
                texts[field.Id] = cell?.Text;
            }
        }

        return new VaultRowView(row.Id, texts, secretCells, row.UpdatedAt, row.UpdatedBy);
    }

    /// <summary>
    /// Out of scope, or no level on the table: not found, as for a table that is not there. A lower level than the
    /// action needs: refused, saying which level it needs.
    /// </summary>
    internal static async Task<AccessLevel> DemandLevelAsync(
        BlazorVaultDbContext db,
        Actor actor,
        int customerId,
        int tableId,
        AccessLevel needed,
        CancellationToken cancellationToken
    )
    {
        var level = (await CustomerRights.DemandAsync(db, actor, customerId, cancellationToken)).LevelOn(tableId);
        if (level == AccessLevel.None)
        {
            throw new NotFoundException("The table");
        }

        return level >= needed
            ? level
            : throw new AccessDeniedException($"Your agent groups give {level} on this table; this needs {needed}.");
    }

    private static Dictionary<string, object?> Details(CustomTable table, List<string> changed) =>
        new() { ["table"] = table.Name, ["fields"] = changed };

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
