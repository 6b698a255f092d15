namespace BlazorVault.Core.Crypto.Entities;

/// <summary>The single row that names the active certificate and whether a re-wrap is under way.</summary>
public sealed class EncryptionState
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public string? ActiveThumbprint { get; set; }

    /// <summary>Set when a re-wrap is requested; cleared when nothing is left to re-wrap. A restart resumes it.</summary>
    public DateTime? RewrapRequestedAt { get; set; }

    public string? RewrapRequestedBy { get; set; }
}
