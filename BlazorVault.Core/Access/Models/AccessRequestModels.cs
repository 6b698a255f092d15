using BlazorVault.Core.Access.Entities;

namespace BlazorVault.Core.Access.Models;

/// <summary>An access request as the requester and the approvers see it: where, why, how long, and what became of it.</summary>
/// <param name="RowLabel">The row's first non-password value, as the tab shows it; "(deleted)" once the row is gone.</param>
/// <param name="CanDecide">The viewer may approve or deny it now.</param>
/// <param name="Uses">Reveals and copies made through the grant (from the audit log).</param>
public sealed record AccessRequestView(
    int Id,
    string RequesterName,
    int CustomerId,
    string CustomerName,
    string TableName,
    string RowLabel,
    string FieldLabel,
    string Reason,
    int Minutes,
    AccessRequestState State,
    DateTime RequestedAt,
    DateTime? DecidedAt,
    string? DeciderName,
    DateTime? GrantedUntil,
    bool CanDecide,
    int Uses = 0
);

/// <summary>What a request is now: pending, denied, approved and running, or approved and over.</summary>
public enum AccessRequestState
{
    Pending,
    Denied,
    Active,
    Expired,
}

/// <summary>The access requests page: those the viewer may decide, and their own.</summary>
public sealed record AccessRequestLists(IReadOnlyList<AccessRequestView> ToDecide, IReadOnlyList<AccessRequestView> Mine);

/// <summary>Asking for Reveal on one password.</summary>
public sealed class AccessRequestInput
{
    public string Reason { get; set; } = "";

    /// <summary>One of <see cref="AccessRequest.RequestMinutes"/>.</summary>
    public int Minutes { get; set; } = 60;
}
