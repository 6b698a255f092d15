using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.CustomObjects;

/// <summary>
/// What one customer shows of the custom objects: the customer must exist, and a restricted table or field shows only
/// for the customers it names, which must exist. Shared by the password tab, the Customer fields and the table and
/// field administration so the rule is written once.
/// </summary>
internal static class CustomerScope
{
    public static async Task DemandCustomerExistsAsync(BlazorVaultDbContext db, int customerId, CancellationToken cancellationToken)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            throw new NotFoundException("The customer");
        }
    }

    public static bool IsVisible(IReadOnlyCollection<CustomVisibility> restriction, int customerId) =>
        restriction.Count == 0 || restriction.Any(v => v.CustomerId == customerId);

    /// <summary>A restriction names at most 1,000 customers, all of them existing; errors go to <paramref name="errors"/>.</summary>
    public static async Task ValidateRestrictionAsync(
        BlazorVaultDbContext db,
        List<int> ids,
        Dictionary<string, string[]> errors,
        CancellationToken cancellationToken
    )
    {
        var distinct = ids.Distinct().ToList();
        if (distinct.Count > 1000 || await db.Customers.CountAsync(c => distinct.Contains(c.Id), cancellationToken) != distinct.Count)
        {
            errors["VisibleToCustomerIds"] = ["Choose existing customers."];
        }
    }

    public static IReadOnlyList<CustomFieldView> VisibleFields(CustomTable table, int customerId) =>
        [
            .. table
                .Fields.Where(f => IsVisible(f.Visibility, customerId))
                .OrderBy(f => f.Order)
                .ThenBy(f => f.Id)
                .Select(CustomObjectViews.ToView),
        ];

    public static async Task<CustomTable?> LoadTableAsync(BlazorVaultDbContext db, int tableId, CancellationToken cancellationToken) =>
        await db
            .CustomTables.AsNoTracking()
            .AsSplitQuery()
            .Include(t => t.Visibility)
            .Include(t => t.Fields)
                .ThenInclude(f => f.Visibility)
            .SingleOrDefaultAsync(t => t.Id == tableId, cancellationToken);

    /// <summary>
    /// The table and its fields as this customer may see them; a table linked to no customer tab, or hidden for this
    /// customer, is not found.
    /// </summary>
    public static async Task<(CustomTable Table, IReadOnlyList<CustomFieldView> Fields)> VisibleTableAsync(
        BlazorVaultDbContext db,
        int customerId,
        int tableId,
        CancellationToken cancellationToken
    )
    {
        await DemandCustomerExistsAsync(db, customerId, cancellationToken);
        var linked = await db.CustomerFields.AnyAsync(
            f => f.Type == CustomFieldType.Table && f.LinkedTableId == tableId,
            cancellationToken
        );
        var table = linked ? await LoadTableAsync(db, tableId, cancellationToken) : null;
        if (table is null || table.LinkedEntity != CustomEntity.Customer || !IsVisible(table.Visibility, customerId))
        {
            throw new NotFoundException("The table");
        }

        return (table, VisibleFields(table, customerId));
    }
}
