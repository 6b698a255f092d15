using System.Globalization;
using BlazorVault.Core.Access;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.CustomObjects;

/// <summary>
/// Custom fields on the Customer entity. Administrators define them (Configuration &gt; Custom Objects): of type Table
/// a field shows a custom table as a tab; of another type it holds one value per customer, which agents edit on the
/// customer's Details. Passwords never live here: they belong in a table, where each reveal names its row.
/// </summary>
public sealed class CustomerFieldService(
    ICurrentActor currentActor,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    ISettingsChangeNotifier changes
)
{
    public async Task<IReadOnlyList<CustomerFieldView>> ListAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var fields = await db
            .CustomerFields.AsNoTracking()
            .OrderBy(f => f.Order)
            .ThenBy(f => f.Id)
            .Select(f => new
            {
                Field = f,
                TableName = db.CustomTables.Where(t => t.Id == f.LinkedTableId).Select(t => t.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return [.. fields.Select(x => ToView(x.Field, x.TableName))];
    }

    /// <summary>
    /// A Customer field: of type Table ("Link to Table") the table becomes a tab on every customer it is visible for;
    /// of another type it holds one value per customer, shown on the customer's Details.
    /// </summary>
    public async Task<int> AddAsync(CustomerFieldInput input, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var errors = new Dictionary<string, string[]>();
        var label = input.Label?.Trim() ?? "";
        if (label.Length is 0 or > CustomTableField.LabelMaxLength)
        {
            errors[nameof(CustomerFieldInput.Label)] = [$"Enter a label of at most {CustomTableField.LabelMaxLength} characters."];
        }

        CustomTable? table = null;
        if (input.Type == CustomFieldType.Table)
        {
            table = input.LinkedTableId is { } id ? await db.CustomTables.SingleOrDefaultAsync(t => t.Id == id, cancellationToken) : null;
            if (table is null || table.LinkedEntity != CustomEntity.Customer)
            {
                errors[nameof(CustomerFieldInput.LinkedTableId)] = ["Choose a custom table linked to Customer."];
            }
            else if (await db.CustomerFields.AnyAsync(f => f.LinkedTableId == table.Id, cancellationToken))
            {
                errors[nameof(CustomerFieldInput.LinkedTableId)] = ["This table is already a customer tab."];
            }
        }
        else if (input.Type is CustomFieldType.Password or CustomFieldType.User || !Enum.IsDefined(input.Type))
        {
            errors[nameof(CustomerFieldInput.Type)] =
            [
                "Passwords and users belong in a custom table (shown as a tab), where each reveal names its row.",
            ];
        }

        var options = (input.Options ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (
            input.Type == CustomFieldType.SingleSelect
            && (options.Count == 0 || options.Count > 100 || options.Any(o => o.Length > CustomTableField.OptionMaxLength))
        )
        {
            errors[nameof(CustomerFieldInput.Options)] =
            [
                $"Give 1 to 100 options, one per line, each at most {CustomTableField.OptionMaxLength} characters.",
            ];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = (await db.CustomerFields.MaxAsync(f => (int?)f.Order, cancellationToken) ?? 0) + 1;
        var field = table is null
            ? CustomerField.HoldingValues(
                label,
                input.Type,
                input.Required,
                input.Type == CustomFieldType.SingleSelect ? string.Join('\n', options) : null,
                order
            )
            : CustomerField.LinkingTable(label, table.Id, order);
        db.CustomerFields.Add(field);
        await db.SaveChangesAsync(cancellationToken);
        var change = table is null ? $"customer field '{label}' ({input.Type}) added" : $"customer tab '{label}' added";
        await audit.AppendAsync(db, CustomObjectViews.ChangeEntry(change, table?.Id ?? 0, table?.Name ?? "Customer"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
        return field.Id;
    }

    /// <summary>Removes a Customer field: a tab (the table and its rows stay) or a value field (with its values).</summary>
    public async Task DeleteAsync(int customerFieldId, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var field =
            await db.CustomerFields.SingleOrDefaultAsync(f => f.Id == customerFieldId, cancellationToken)
            ?? throw new NotFoundException("The customer field");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.CustomerFields.Remove(field);
        await db.SaveChangesAsync(cancellationToken);
        var table = await db.CustomTables.SingleOrDefaultAsync(t => t.Id == field.LinkedTableId, cancellationToken);
        var change = $"customer tab '{field.Label}' removed";
        await audit.AppendAsync(db, CustomObjectViews.ChangeEntry(change, table?.Id ?? 0, table?.Name ?? ""), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
    }

    /// <summary>The customer's values of the Customer fields that are not tabs, for its Details.</summary>
    public async Task<CustomerFieldValues> GetValuesAsync(int customerId, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await CustomerScope.DemandCustomerExistsAsync(db, customerId, cancellationToken);
        await CustomerRights.DemandAsync(db, actor, customerId, cancellationToken);
        var fields = await ValueFieldsAsync(db, cancellationToken);
        var values = await db
            .CustomerFieldValues.AsNoTracking()
            .Where(v => v.CustomerId == customerId)
            .ToDictionaryAsync(v => v.CustomerFieldId, v => v.Text, cancellationToken);
        return new CustomerFieldValues(fields, values);
    }

    /// <summary>Saves the customer's custom field values (validated per type), audited with the labels that changed.</summary>
    public async Task SaveValuesAsync(int customerId, VaultRowInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await CustomerScope.DemandCustomerExistsAsync(db, customerId, cancellationToken);
        await CustomerRights.DemandAsync(db, actor, customerId, cancellationToken);
        var fields = await ValueFieldsAsync(db, cancellationToken);
        await CustomValueValidator.ValidateAsync(db, customerId, fields, input, isNew: true, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.CustomerFieldValues.Where(v => v.CustomerId == customerId).ToListAsync(cancellationToken);
        var changed = new List<string>();
        foreach (var field in fields.Where(f => input.Values.ContainsKey(f.Id)))
        {
            var text = string.IsNullOrWhiteSpace(input.Values[field.Id]) ? null : input.Values[field.Id]!.Trim();
            var cell = existing.SingleOrDefault(v => v.CustomerFieldId == field.Id);
            if (cell is null)
            {
                cell = new CustomerFieldValue(field.Id, customerId);
                db.CustomerFieldValues.Add(cell);
            }

            if (cell.Text != text)
            {
                cell.ChangeText(text);
                changed.Add(field.Label);
            }
        }

        if (changed.Count == 0)
        {
            return;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.CustomerFieldsChanged,
                "Customer",
                customerId.ToString(CultureInfo.InvariantCulture),
                customerId,
                new Dictionary<string, object?> { ["fields"] = changed }
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    private static CustomerFieldView ToView(CustomerField f, string? tableName) =>
        new(
            f.Id,
            f.Label,
            f.Type,
            f.LinkedTableId,
            tableName,
            f.Order,
            f.Required,
            f.Options is null ? [] : f.Options.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        );

    private static async Task<IReadOnlyList<CustomFieldView>> ValueFieldsAsync(BlazorVaultDbContext db, CancellationToken cancellationToken)
    {
        var fields = await db
            .CustomerFields.AsNoTracking()
            .Where(f => f.Type != CustomFieldType.Table)
            .OrderBy(f => f.Order)
            .ThenBy(f => f.Id)
            .ToListAsync(cancellationToken);
        return
        [
            .. fields
                .Select(f => ToView(f, null))
                .Select(f => new CustomFieldView(f.Id, f.Order, f.Label, f.Type, f.Required, f.Options ?? [], [])),
        ];
    }
}
