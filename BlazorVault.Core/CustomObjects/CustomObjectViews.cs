using System.Globalization;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;

namespace BlazorVault.Core.CustomObjects;

/// <summary>
/// What the custom object services build from the entities: the views handed to the UI and the one audit entry of a
/// change. Kept apart so no service reaches into another's statics.
/// </summary>
internal static class CustomObjectViews
{
    public static CustomFieldView ToView(CustomTableField f) =>
        new(
            f.Id,
            f.Order,
            f.Label,
            f.Type,
            f.Required,
            f.Options is null ? [] : f.Options.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            [.. f.Visibility.Select(v => v.CustomerId)]
        );

    public static CustomTableView ToView(CustomTable t) =>
        new(
            t.Id,
            t.Name,
            t.LinkedEntity,
            [.. t.Fields.OrderBy(f => f.Order).ThenBy(f => f.Id).Select(ToView)],
            [.. t.Visibility.Select(v => v.CustomerId)]
        );

    /// <summary>The audit event of every change under Configuration &gt; Custom Objects, Customer fields included.</summary>
    public static AuditEntry ChangeEntry(string change, int tableId, string tableName) =>
        new(
            AuditActions.CustomObjectChanged,
            "CustomTable",
            tableId.ToString(CultureInfo.InvariantCulture),
            Details: new Dictionary<string, object?> { ["table"] = tableName, ["change"] = change }
        );

    /// <summary>Appends <see cref="ChangeEntry"/> in the caller's transaction.</summary>
    public static Task AppendChangeAsync(
        this IAuditLog audit,
        BlazorVaultDbContext db,
        string change,
        int tableId,
        string tableName,
        CancellationToken cancellationToken
    ) => audit.AppendAsync(db, ChangeEntry(change, tableId, tableName), cancellationToken);
}
