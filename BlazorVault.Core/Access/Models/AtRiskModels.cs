namespace BlazorVault.Core.Access.Models;

/// <summary>Whose reveals the at-risk report reads, and when: <see cref="From"/> inclusive, <see cref="To"/> exclusive (UTC).</summary>
public sealed record AtRiskQuery(string AgentId, DateTime? From = null, DateTime? To = null);

/// <summary>One stored password cell: a row of a custom table and one of its Password fields.</summary>
public sealed record PasswordCellRef(int RowId, int FieldId);

/// <summary>
/// A password the agent revealed, copied or revealed through break-glass that has not changed since their last such event.
/// </summary>
/// <param name="RowLabel">The row as the password tab names it: its first text value, or "row N".</param>
/// <param name="LastAction">The audit action of the last reveal (revealed, copied or break-glass).</param>
public sealed record AtRiskPassword(
    int RowId,
    int FieldId,
    int CustomerId,
    string CustomerName,
    int TableId,
    string TableName,
    string RowLabel,
    string FieldLabel,
    DateTime LastRevealedAt,
    string LastAction,
    DateTime? RotationRequestedAt,
    string? RotationReason
)
{
    public bool NeedsRotation => RotationRequestedAt is not null;

    public PasswordCellRef Cell => new(RowId, FieldId);
}

/// <summary>A password marked Needs rotation, on the Home page of agents who may edit it.</summary>
public sealed record RotationDue(
    int CustomerId,
    string CustomerName,
    int TableId,
    string TableName,
    int RowId,
    string RowLabel,
    int FieldId,
    string FieldLabel,
    string Reason,
    DateTime RequestedAt,
    string RequestedBy
);
