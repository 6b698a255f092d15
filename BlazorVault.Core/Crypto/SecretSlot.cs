namespace BlazorVault.Core.Crypto;

/// <summary>
/// Where a secret lives: what it is for, the row it belongs to and the field within that row. The slot is the
/// ciphertext's associated data, so a ciphertext copied into another slot does not decrypt.
/// </summary>
public readonly record struct SecretSlot
{
    public const int PartMaxLength = 64;

    public SecretSlot(string purpose, string entityId, string fieldId)
    {
        Purpose = Check(purpose, nameof(purpose));
        EntityId = Check(entityId, nameof(entityId));
        FieldId = Check(fieldId, nameof(fieldId));
    }

    public string Purpose { get; }

    public string EntityId { get; }

    public string FieldId { get; }

    public override string ToString() => $"{Purpose}/{EntityId}/{FieldId}";

    private static string Check(string part, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(part, name);
        return part.Length <= PartMaxLength
            ? part
            : throw new ArgumentException($"A slot part is at most {PartMaxLength} characters.", name);
    }
}
