namespace BlazorVault.Core.CustomObjects.Entities;

/// <summary>A column of a custom table.</summary>
public sealed class CustomTableField
{
    public const int LabelMaxLength = 100;
    public const int OptionMaxLength = 100;

    private List<CustomVisibility> _visibility = [];

    internal CustomTableField(
        string label,
        CustomFieldType type,
        bool required,
        string? options,
        int order,
        IEnumerable<int> visibleToCustomerIds
    )
    {
        Redefine(label, type, required, options);
        Order = order;
        _visibility = CustomVisibility.For(visibleToCustomerIds);
    }

    private CustomTableField() { }

    public int Id { get; private set; }

    public int TableId { get; private set; }

    public int Order { get; private set; }

    public string Label { get; private set; } = "";

    public CustomFieldType Type { get; private set; }

    public bool Required { get; private set; }

    /// <summary>Single-select options, one per line.</summary>
    public string? Options { get; private set; }

    /// <summary>Empty: shown for every customer; otherwise only for these customers.</summary>
    public IReadOnlyList<CustomVisibility> Visibility => _visibility;

    /// <summary>
    /// A new label, type, requirement and options. Whether the values already stored fit the new type is the caller's
    /// check: it needs the database.
    /// </summary>
    public void Redefine(string label, CustomFieldType type, bool required, string? options)
    {
        Label = label;
        Type = type;
        Required = required;
        Options = options;
    }

    /// <summary>Replaces the restriction; the caller deletes the old <see cref="Visibility"/> rows.</summary>
    public void ChangeVisibility(IEnumerable<int> customerIds) => _visibility = CustomVisibility.For(customerIds);

    public void MoveTo(int order) => Order = order;
}
