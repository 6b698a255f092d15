namespace BlazorVault.Core.Access.Entities;

public enum AccessRequestStatus
{
    Pending = 0,
    Approved = 1,
    Denied = 2,
}

/// <summary>
/// An agent who may list a password but not reveal it asks for Reveal on that one password for a while. An approver (an
/// administrator, or a member of a group that can approve and covers the customer) approves, possibly for less time, or
/// denies. An approval is a grant checked at every reveal: it ends by itself at <see cref="GrantedUntil"/>.
/// </summary>
public sealed class AccessRequest
{
    public const int ReasonMaxLength = 200;

    /// <summary>The durations an agent may ask for, in minutes: 1 hour, 4 hours, 1 day.</summary>
    public static readonly IReadOnlyList<int> RequestMinutes = [60, 240, 1440];

    /// <summary>The durations an approver may grant, in minutes (at most what was asked).</summary>
    public static readonly IReadOnlyList<int> GrantMinutes = [15, 60, 240, 1440];

    public AccessRequest(
        string requesterId,
        string requesterName,
        int customerId,
        int tableId,
        int rowId,
        int fieldId,
        string reason,
        int minutes,
        DateTime requestedAt
    )
    {
        RequesterId = requesterId;
        RequesterName = requesterName;
        CustomerId = customerId;
        TableId = tableId;
        RowId = rowId;
        FieldId = fieldId;
        Reason = reason;
        Minutes = minutes;
        RequestedAt = requestedAt;
    }

    private AccessRequest() { }

    public int Id { get; private set; }

    public string RequesterId { get; private set; } = "";

    public string RequesterName { get; private set; } = "";

    public int CustomerId { get; private set; }

    public int TableId { get; private set; }

    /// <summary>The row, kept (without a foreign key) after the row is deleted, so that the requester's history stays.</summary>
    public int RowId { get; private set; }

    public int FieldId { get; private set; }

    public string Reason { get; private set; } = "";

    /// <summary>How long the agent asked for.</summary>
    public int Minutes { get; private set; }

    public AccessRequestStatus Status { get; private set; }

    public DateTime RequestedAt { get; private set; }

    public DateTime? DecidedAt { get; private set; }

    public string? DeciderId { get; private set; }

    public string? DeciderName { get; private set; }

    /// <summary>Set on approval: Reveal holds until then.</summary>
    public DateTime? GrantedUntil { get; private set; }

    /// <summary>The grant's end has been recorded in the audit log (by the sweep, or by a reveal refused after it).</summary>
    public bool ExpiryRecorded { get; private set; }

    public void Approve(int minutes, DateTime now, string deciderId, string deciderName)
    {
        Status = AccessRequestStatus.Approved;
        DecidedAt = now;
        DeciderId = deciderId;
        DeciderName = deciderName;
        GrantedUntil = now.AddMinutes(minutes);
    }

    public void Deny(DateTime now, string deciderId, string deciderName)
    {
        Status = AccessRequestStatus.Denied;
        DecidedAt = now;
        DeciderId = deciderId;
        DeciderName = deciderName;
    }
}
