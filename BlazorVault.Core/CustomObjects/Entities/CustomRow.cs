namespace BlazorVault.Core.CustomObjects.Entities;

/// <summary>A row of a custom table for one customer. Password cells live in the secrets table, never here.</summary>
public sealed class CustomRow
{
    private readonly List<CustomValue> _values = [];

    public CustomRow(int tableId, int customerId, DateTime now, string by)
    {
        TableId = tableId;
        CustomerId = customerId;
        CreatedAt = now;
        CreatedBy = by;
        Touch(now, by);
    }

    private CustomRow() { }

    public int Id { get; private set; }

    public int TableId { get; private set; }

    public int CustomerId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; } = "";

    public IReadOnlyCollection<CustomValue> Values => _values;

    /// <summary>Records the last change: the tab lists rows newest change first.</summary>
    public void Touch(DateTime now, string by)
    {
        UpdatedAt = now;
        UpdatedBy = by;
    }
}
