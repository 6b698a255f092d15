using BlazorVault.Core.Notifications.Entities;

namespace BlazorVault.Core.Notifications.Models;

/// <param name="Subject">Known once the email is rendered for delivery.</param>
/// <param name="CanOpen">Delivered to the pickup folder, so an administrator can open the .eml.</param>
/// <param name="CanRetry">Failed, and nothing it needs has been deleted.</param>
/// <param name="LinkRemovedAt">When its set-password link, used or expired, was taken out of the pickup file.</param>
public sealed record OutboxEmailSummary(
    long Id,
    OutboxEmailKind Kind,
    string To,
    string? Subject,
    OutboxEmailStatus Status,
    int Attempts,
    DateTime CreatedAt,
    DateTime? SentAt,
    DateTime NextAttemptAt,
    string? LastError,
    bool CanOpen,
    bool CanRetry,
    DateTime? LinkRemovedAt
);

public sealed record OutboxDeliveryResult(int Sent, int Retrying, int Failed);

/// <param name="Message">What happened: the server's exact error when it failed.</param>
public sealed record EmailTestResult(bool Succeeded, string Message);
