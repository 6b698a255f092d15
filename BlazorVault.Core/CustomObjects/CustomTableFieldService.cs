using System.Globalization;
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
/// Configuration &gt; Custom Objects, for administrators: the fields of a custom table, their order and visibility
/// restrictions. A field's type cannot change to or from Password while it holds values (that would store secrets in
/// clear or strand ciphertexts); deleting a field with values needs confirmation and deletes its secrets too.
/// </summary>
public sealed class CustomTableFieldService(
    ICurrentActor currentActor,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    ISettingsChangeNotifier changes
)
{
    /// <summary>Keeps a row's audit details (the labels that changed) well within their limit.</summary>
    public const int MaxFieldsPerTable = 50;

    /// <summary>Moves a field one place up (-1) or down (+1) in its table.</summary>
    public async Task MoveFieldAsync(int fieldId, int direction, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var field =
            await db.CustomTableFields.SingleOrDefaultAsync(f => f.Id == fieldId, cancellationToken)
            ?? throw new NotFoundException("The field");
        var fields = await db
            .CustomTableFields.Where(f => f.TableId == field.TableId)
            .OrderBy(f => f.Order)
            .ThenBy(f => f.Id)
            .ToListAsync(cancellationToken);
        var index = fields.IndexOf(fields.Single(f => f.Id == fieldId));
        var target = index + Math.Sign(direction);
        if (target < 0 || target >= fields.Count)
        {
            return;
        }

        (fields[index], fields[target]) = (fields[target], fields[index]);
        for (var i = 0; i < fields.Count; i++)
        {
            fields[i].MoveTo(i + 1);
        }

        await db.SaveChangesAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
    }

    public async Task<int> AddFieldAsync(int tableId, CustomFieldInput input, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var table =
            await db.CustomTables.Include(t => t.Fields).SingleOrDefaultAsync(t => t.Id == tableId, cancellationToken)
            ?? throw new NotFoundException("The table");
        await ValidateFieldAsync(db, input, cancellationToken);
        if (table.Fields.Count >= MaxFieldsPerTable)
        {
            throw new ValidationFailedException("", $"A table has at most {MaxFieldsPerTable} fields.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var field = table.AddField(input.Label.Trim(), input.Type, input.Required, NormalizeOptions(input), input.VisibleToCustomerIds);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendChangeAsync(db, $"field '{field.Label}' ({field.Type}) added", table.Id, table.Name, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
        return field.Id;
    }

    public async Task UpdateFieldAsync(int fieldId, CustomFieldInput input, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var field =
            await db.CustomTableFields.Include(f => f.Visibility).SingleOrDefaultAsync(f => f.Id == fieldId, cancellationToken)
            ?? throw new NotFoundException("The field");
        await ValidateFieldAsync(db, input, cancellationToken);

        // Checked inside the transaction, so a value saved meanwhile cannot slip past it.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var typeChange = field.Type != input.Type && !(field.Type == CustomFieldType.Text && input.Type == CustomFieldType.Multiline);
        if (typeChange && await CellsWithValues(db, fieldId).AnyAsync(cancellationToken))
        {
            throw new ValidationFailedException(
                nameof(CustomFieldInput.Type),
                field.Type == CustomFieldType.Password
                        ? "This field holds encrypted passwords: changing its type would store them in clear. Add a new field instead."
                    : input.Type == CustomFieldType.Password
                        ? "This field holds values in clear: a Password field must start empty. Add a new Password field instead."
                    : "This field holds values of its current type, which the new type may not accept. Add a new field instead."
            );
        }

        field.Redefine(input.Label.Trim(), input.Type, input.Required, NormalizeOptions(input));
        db.CustomVisibility.RemoveRange(field.Visibility);
        field.ChangeVisibility(input.VisibleToCustomerIds);
        await db.SaveChangesAsync(cancellationToken);
        var tableName = await db.CustomTables.Where(t => t.Id == field.TableId).Select(t => t.Name).SingleAsync(cancellationToken);
        await audit.AppendChangeAsync(db, $"field '{field.Label}' changed", field.TableId, tableName, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
    }

    /// <summary>Deletes a field; when it holds values, only with <paramref name="deleteValues"/> (its secrets go too).</summary>
    public async Task DeleteFieldAsync(int fieldId, bool deleteValues, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var field =
            await db.CustomTableFields.SingleOrDefaultAsync(f => f.Id == fieldId, cancellationToken)
            ?? throw new NotFoundException("The field");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var values = await CellsWithValues(db, fieldId).CountAsync(cancellationToken);
        if (values > 0 && !deleteValues)
        {
            var secrets = field.Type == CustomFieldType.Password ? " and their encrypted passwords" : "";
            throw new ValidationFailedException("", $"'{field.Label}' holds {values} value(s). Confirm to delete them{secrets}.");
        }

        var fieldKey = fieldId.ToString(CultureInfo.InvariantCulture);
        await db.Secrets.Where(s => s.Purpose == CustomValue.SecretPurpose && s.FieldId == fieldKey).ExecuteDeleteAsync(cancellationToken);
        await db.CustomValues.Where(v => v.FieldId == fieldId).ExecuteDeleteAsync(cancellationToken);
        db.CustomTableFields.Remove(field);
        await db.SaveChangesAsync(cancellationToken);
        var tableName = await db.CustomTables.Where(t => t.Id == field.TableId).Select(t => t.Name).SingleAsync(cancellationToken);
        await audit.AppendChangeAsync(
            db,
            $"field '{field.Label}' deleted with {values} value(s)",
            field.TableId,
            tableName,
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
    }

    /// <summary>The field's cells that hold something: text, or a stored secret.</summary>
    private static IQueryable<CustomValue> CellsWithValues(BlazorVaultDbContext db, int fieldId) =>
        db.CustomValues.Where(v => v.FieldId == fieldId && (v.Text != null || v.SecretChangedAt != null));

    private static string? NormalizeOptions(CustomFieldInput input) =>
        input.Type == CustomFieldType.SingleSelect
            ? string.Join(
                '\n',
                (input.Options ?? "")
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Distinct(StringComparer.Ordinal)
            )
            : null;

    private static async Task ValidateFieldAsync(BlazorVaultDbContext db, CustomFieldInput input, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var label = input.Label?.Trim() ?? "";
        if (label.Length is 0 or > CustomTableField.LabelMaxLength)
        {
            errors[nameof(CustomFieldInput.Label)] = [$"Enter a label of at most {CustomTableField.LabelMaxLength} characters."];
        }

        if (!Enum.IsDefined(input.Type) || input.Type == CustomFieldType.Table)
        {
            errors[nameof(CustomFieldInput.Type)] = ["Choose an input type (a table cannot hold another table)."];
        }

        var options = (input.Options ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (
            input.Type == CustomFieldType.SingleSelect
            && (options.Length == 0 || options.Length > 100 || options.Any(o => o.Length > CustomTableField.OptionMaxLength))
        )
        {
            errors[nameof(CustomFieldInput.Options)] =
            [
                $"Give 1 to 100 options, one per line, each at most {CustomTableField.OptionMaxLength} characters.",
            ];
        }

        await CustomerScope.ValidateRestrictionAsync(db, input.VisibleToCustomerIds, errors, cancellationToken);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }
}
