namespace BlazorVault.Core.Audit.Entities;

/// <summary>
/// The single row naming the newest event. Appends move it forward with a compare-and-swap in the appending
/// transaction, so two writers cannot both extend the same event, and truncating the tail of the log is detected.
/// </summary>
public sealed class AuditChainHead
{
    public const int SingletonId = 1;

    public int Id { get; init; } = SingletonId;

    public long LastSequence { get; set; }

    public string LastHash { get; set; } = AuditChain.Genesis;
}
