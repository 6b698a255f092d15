namespace BlazorVault.Core.Audit.Models;

/// <summary>What happened. Who and from where come from the current actor and origin unless given here.</summary>
/// <param name="Details">Non-secret facts, serialized as a JSON object.</param>
public sealed record AuditEntry(
    string Action,
    string? TargetType = null,
    string? TargetId = null,
    int? CustomerId = null,
    IReadOnlyDictionary<string, object?>? Details = null,
    AuditActorOverride? Actor = null
);

/// <summary>For events whose actor is not the signed-in caller, e.g. a failed sign-in on someone's account.</summary>
public sealed record AuditActorOverride(string? UserId, string Name);

/// <summary>Where a request came from, as the audit log records it.</summary>
public sealed record AuditOrigin(string? IpAddress, string? UserAgent)
{
    public static readonly AuditOrigin Local = new(null, "BlazorVault (server)");
}

public sealed record AuditEventView(
    long Sequence,
    DateTime OccurredAt,
    string? ActorId,
    string ActorName,
    string Action,
    string? TargetType,
    string? TargetId,
    int? CustomerId,
    string? CustomerName,
    string? IpAddress,
    string? UserAgent,
    string? Details,
    string? Server
);

/// <param name="Before">Keyset paging: events with a smaller sequence than this (older).</param>
public sealed record AuditQuery(
    string? ActorId = null,
    string? Action = null,
    int? CustomerId = null,
    DateTime? From = null,
    DateTime? To = null,
    long? Before = null,
    int PageSize = 50
);

public sealed record AuditPage(IReadOnlyList<AuditEventView> Items, bool HasOlder);

/// <summary>The result of walking the whole chain.</summary>
/// <param name="FirstBrokenSequence">The first event whose hash or link does not match; null when intact.</param>
public sealed record AuditVerification(long EventCount, long? FirstBrokenSequence, string? Problem)
{
    public bool IsIntact => FirstBrokenSequence is null && Problem is null;

    public override string ToString() =>
        IsIntact ? $"chain intact ({EventCount} events)"
        : FirstBrokenSequence is { } sequence ? $"chain broken at event {sequence}: {Problem}"
        : $"chain broken: {Problem}";
}

public sealed record AuditActorOption(string Id, string Name, string Email);
