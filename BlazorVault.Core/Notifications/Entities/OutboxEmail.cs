namespace BlazorVault.Core.Notifications.Entities;

/// <summary>
/// An email waiting for, or past, delivery. It is queued in the transaction of the action that causes it and
/// rendered from its template when delivered. A set-password link is the only secret an email carries: it is
/// stored encrypted (slot "outbox/{id}/link") and deleted once the email is delivered or has finally failed. A copy
/// delivered to the pickup folder holds it until the link is used or expires (<see cref="LinkRemovedAt"/>).
/// </summary>
public sealed class OutboxEmail
{
    public const int ErrorMaxLength = 1000;
    public const int SubjectMaxLength = 500;

    private OutboxEmail() { }

    public long Id { get; private set; }

    public OutboxEmailKind Kind { get; private set; }

    public string ToAddress { get; private set; } = "";

    /// <summary>The account the email is about ({username}); for admin notifications, not the recipient.</summary>
    public string? UserId { get; private set; }

    /// <summary>For a link email: when the link expires at today's setting ({expires}).</summary>
    public DateTime? ExpiresAt { get; private set; }

    public bool HasLink { get; private set; }

    /// <summary>Rendered at delivery.</summary>
    public string? Subject { get; private set; }

    public OutboxEmailStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public DateTime NextAttemptAt { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? SentAt { get; private set; }

    /// <summary>The server's reason for the last failed attempt.</summary>
    public string? LastError { get; private set; }

    /// <summary>The .eml file written when delivering to the pickup folder.</summary>
    public string? PickupFile { get; private set; }

    /// <summary>
    /// When the set-password link was taken out of the pickup file, once used or expired (set in bulk by
    /// <see cref="PickupLinkSweep"/>).
    /// </summary>
    public DateTime? LinkRemovedAt { get; private set; }

    /// <summary>Only a failed email can be queued again, and not one whose link was deleted when it failed.</summary>
    public bool CanRetry => Status == OutboxEmailStatus.Failed && !HasLink;

    /// <summary>A new email, due at once.</summary>
    public static OutboxEmail Queue(
        OutboxEmailKind kind,
        string toAddress,
        string? userId,
        DateTime? expiresAt,
        bool hasLink,
        DateTime now
    ) =>
        new()
        {
            Kind = kind,
            ToAddress = toAddress,
            UserId = userId,
            ExpiresAt = expiresAt,
            HasLink = hasLink,
            Status = OutboxEmailStatus.Queued,
            CreatedAt = now,
            NextAttemptAt = now,
        };

    /// <summary>Delivered at this attempt; <paramref name="pickupFile"/> when it went to the pickup folder.</summary>
    public void MarkSent(DateTime now, string subject, string? pickupFile)
    {
        Status = OutboxEmailStatus.Sent;
        Attempts++;
        SentAt = now;
        Subject = Truncate(subject, SubjectMaxLength);
        PickupFile = pickupFile;
        LastError = null;
    }

    /// <summary>This attempt failed; the email stays queued for another at <paramref name="nextAttemptAt"/>.</summary>
    public void ScheduleRetry(string error, DateTime nextAttemptAt)
    {
        Attempts++;
        LastError = Truncate(error, ErrorMaxLength);
        NextAttemptAt = nextAttemptAt;
    }

    /// <summary>This attempt failed and was the last: the email will not be sent.</summary>
    public void FailAttempt(string error)
    {
        Attempts++;
        MarkFailed(error);
    }

    /// <summary>The email will not be sent, without counting a delivery attempt (nothing could be sent).</summary>
    public void MarkFailed(string error)
    {
        Status = OutboxEmailStatus.Failed;
        LastError = Truncate(error, ErrorMaxLength);
    }

    /// <summary>An administrator's retry of a failed email: due at once, with its tries counted afresh.</summary>
    public void Requeue(DateTime now)
    {
        Status = OutboxEmailStatus.Queued;
        Attempts = 0;
        NextAttemptAt = now;
    }

    private static string Truncate(string text, int maxLength) => text.Length > maxLength ? text[..maxLength] : text;
}
