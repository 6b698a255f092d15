namespace BlazorVault.Core.CustomObjects.Entities;

/// <summary>Configuration &gt; Custom Objects &gt; Custom Tables: a table whose rows hang off a customer.</summary>
public sealed class CustomTable
{
    public const int NameMaxLength = 100;

    private readonly List<CustomTableField> _fields = [];
    private List<CustomVisibility> _visibility = [];

    public CustomTable(string name, CustomEntity linkedEntity, DateTime createdAt, IEnumerable<int> visibleToCustomerIds)
    {
        Name = name;
        LinkedEntity = linkedEntity;
        CreatedAt = createdAt;
        _visibility = CustomVisibility.For(visibleToCustomerIds);
    }

    private CustomTable() { }

    public int Id { get; private set; }

    public string Name { get; private set; } = "";

    public CustomEntity LinkedEntity { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public IReadOnlyList<CustomTableField> Fields => _fields;

    /// <summary>Empty: every customer sees the table; otherwise only these customers.</summary>
    public IReadOnlyList<CustomVisibility> Visibility => _visibility;

    public void Rename(string name) => Name = name;

    /// <summary>Replaces the restriction; the caller deletes the old <see cref="Visibility"/> rows.</summary>
    public void ChangeVisibility(IEnumerable<int> customerIds) => _visibility = CustomVisibility.For(customerIds);

    /// <summary>Adds a field after the last one.</summary>
    public CustomTableField AddField(
        string label,
        CustomFieldType type,
        bool required,
        string? options,
        IEnumerable<int> visibleToCustomerIds
    )
    {
        var order = _fields.Count == 0 ? 1 : _fields.Max(f => f.Order) + 1;
        var field = new CustomTableField(label, type, required, options, order, visibleToCustomerIds);
        _fields.Add(field);
        return field;
    }
}
