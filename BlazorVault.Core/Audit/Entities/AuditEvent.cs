namespace BlazorVault.Core.Audit.Entities;

/// <summary>
/// One append-only, hash-chained audit record. <see cref="Hash"/> is SHA-256 over the canonical form of every
/// other field, <see cref="PreviousHash"/> included, so editing, removing or reordering a row breaks the chain.
/// </summary>
public sealed class AuditEvent
{
    public const int ActionMaxLength = 64;
    public const int TextMaxLength = 256;
    public const int DetailsMaxLength = 8000;

    /// <summary>1, 2, 3, ... without gaps: the chain order.</summary>
    public long Sequence { get; init; }

    public DateTime OccurredAt { get; init; }

    public string? ActorId { get; init; }

    public string ActorName { get; init; } = "";

    public string Action { get; init; } = "";

    public string? TargetType { get; init; }

    public string? TargetId { get; init; }

    public int? CustomerId { get; init; }

    public string? IpAddress { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>JSON object of non-secret facts about the action.</summary>
    public string? Details { get; init; }

    /// <summary>The node that wrote the event (<c>Cluster:NodeName</c>); null on events written before nodes were recorded.</summary>
    public string? Server { get; init; }

    public string PreviousHash { get; init; } = "";

    public string Hash { get; internal set; } = "";
}
