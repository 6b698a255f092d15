namespace BlazorVault.Core.CustomObjects.Entities;

/// <summary>One customer a restricted table or field is shown for.</summary>
public sealed class CustomVisibility
{
    private CustomVisibility(int customerId) => CustomerId = customerId;

    public int Id { get; private set; }

    public int? TableId { get; private set; }

    public int? FieldId { get; private set; }

    public int CustomerId { get; private set; }

    /// <summary>One restriction row per customer; none means every customer.</summary>
    internal static List<CustomVisibility> For(IEnumerable<int> customerIds) =>
        [.. customerIds.Distinct().Select(id => new CustomVisibility(id))];
}
