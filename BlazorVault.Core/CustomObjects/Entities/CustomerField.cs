namespace BlazorVault.Core.CustomObjects.Entities;

/// <summary>
/// A custom field on the Customer entity: type Table ("Link to Table") makes the linked table a tab; the other types
/// hold one value per customer, shown on the customer's Details.
/// </summary>
public sealed class CustomerField
{
    private CustomerField() { }

    public int Id { get; private set; }

    public string Label { get; private set; } = "";

    public CustomFieldType Type { get; private set; }

    public int? LinkedTableId { get; private set; }

    public int Order { get; private set; }

    public bool Required { get; private set; }

    /// <summary>Single-select options, one per line.</summary>
    public string? Options { get; private set; }

    /// <summary>A tab on every customer the table is visible for; a tab is never required and has no options.</summary>
    public static CustomerField LinkingTable(string label, int tableId, int order) =>
        new()
        {
            Label = label,
            Type = CustomFieldType.Table,
            LinkedTableId = tableId,
            Order = order,
        };

    /// <summary>One value per customer, of any type but Table.</summary>
    public static CustomerField HoldingValues(string label, CustomFieldType type, bool required, string? options, int order) =>
        new()
        {
            Label = label,
            Type = type,
            Required = required,
            Options = options,
            Order = order,
        };
}
