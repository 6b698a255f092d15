using BlazorVault.Core.Audit;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.CustomObjects;

/// <summary>
/// Configuration &gt; Custom Objects, for administrators: custom tables and their visibility restrictions. A table's
/// fields are managed by <see cref="CustomTableFieldService"/>.
/// </summary>
public sealed class CustomTableService(
    ICurrentActor currentActor,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    ISettingsChangeNotifier changes,
    TimeProvider time
)
{
    public async Task<IReadOnlyList<CustomTableView>> ListAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var tables = await db
            .CustomTables.AsNoTracking()
            .AsSplitQuery()
            .Include(t => t.Visibility)
            .Include(t => t.Fields)
                .ThenInclude(f => f.Visibility)
            .OrderBy(t => t.Name)
            .ToListAsync(cancellationToken);
        var rows = await db
            .CustomRows.GroupBy(r => r.TableId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var tabs = (await db.CustomerFields.AsNoTracking().Where(f => f.LinkedTableId != null).ToListAsync(cancellationToken)).ToLookup(
            f => f.LinkedTableId!.Value,
            f => f.Label
        );
        return
        [
            .. tables.Select(t =>
                CustomObjectViews.ToView(t) with
                {
                    RowCount = rows.GetValueOrDefault(t.Id),
                    TabLabels = [.. tabs[t.Id]],
                }
            ),
        ];
    }

    public async Task UpdateTableAsync(int tableId, CustomTableInput input, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var table =
            await db.CustomTables.Include(t => t.Visibility).SingleOrDefaultAsync(t => t.Id == tableId, cancellationToken)
            ?? throw new NotFoundException("The table");
        await ValidateTableAsync(db, tableId, input, cancellationToken);
        if (input.LinkedEntity != table.LinkedEntity)
        {
            throw new ValidationFailedException(
                nameof(CustomTableInput.LinkedEntity),
                "The linked entity of an existing table cannot change."
            );
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        table.Rename(input.Name.Trim());
        db.CustomVisibility.RemoveRange(table.Visibility);
        table.ChangeVisibility(input.VisibleToCustomerIds);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendChangeAsync(db, "table changed", table.Id, table.Name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
    }

    /// <summary>Deletes a table that holds no rows and is not shown as a tab.</summary>
    public async Task DeleteTableAsync(int tableId, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var table =
            await db.CustomTables.SingleOrDefaultAsync(t => t.Id == tableId, cancellationToken) ?? throw new NotFoundException("The table");
        var rows = await db.CustomRows.CountAsync(r => r.TableId == tableId, cancellationToken);
        if (rows > 0 || await db.CustomerFields.AnyAsync(f => f.LinkedTableId == tableId, cancellationToken))
        {
            throw new ValidationFailedException(
                "",
                rows > 0
                    ? $"'{table.Name}' holds {rows} row(s) across customers. Delete them first."
                    : $"'{table.Name}' is shown as a customer tab. Remove that Customer field first."
            );
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.CustomTables.Remove(table);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendChangeAsync(db, "table deleted", table.Id, table.Name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
    }

    public async Task<int> CreateTableAsync(CustomTableInput input, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await ValidateTableAsync(db, null, input, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var table = new CustomTable(input.Name.Trim(), input.LinkedEntity, time.GetUtcNow().UtcDateTime, input.VisibleToCustomerIds);
        db.CustomTables.Add(table);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendChangeAsync(db, "table created", table.Id, table.Name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
        return table.Id;
    }

    private static async Task ValidateTableAsync(
        BlazorVaultDbContext db,
        int? id,
        CustomTableInput input,
        CancellationToken cancellationToken
    )
    {
        var errors = new Dictionary<string, string[]>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > CustomTable.NameMaxLength)
        {
            errors[nameof(CustomTableInput.Name)] = [$"Enter a name of at most {CustomTable.NameMaxLength} characters."];
        }
        else if (await db.CustomTables.AnyAsync(t => t.Name == name && t.Id != id, cancellationToken))
        {
            errors[nameof(CustomTableInput.Name)] = ["A table with this name exists."];
        }

        if (!Enum.IsDefined(input.LinkedEntity))
        {
            errors[nameof(CustomTableInput.LinkedEntity)] = ["Choose the linked entity."];
        }

        await CustomerScope.ValidateRestrictionAsync(db, input.VisibleToCustomerIds, errors, cancellationToken);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }
}
