namespace BlazorVault.Core.CustomObjects.Entities;

/// <summary>A customer's value of a (non-Table) Customer field.</summary>
public sealed class CustomerFieldValue(int customerFieldId, int customerId)
{
    public int CustomerFieldId { get; private set; } = customerFieldId;

    public int CustomerId { get; private set; } = customerId;

    public string? Text { get; private set; }

    public void ChangeText(string? text) => Text = text;
}
