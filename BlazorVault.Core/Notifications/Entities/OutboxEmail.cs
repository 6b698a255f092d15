namespace BlazorVault.Core.Notifications.Entities;

/// <summary>
/// An email waiting for, or past, delivery. It is queued in the transaction of the action that causes it and
/// rendered from its template when delivered. A set-password link is the only secret an email carries: it is
/// stored encrypted (slot "outbox/{id}/link") and deleted once the email is delivered or has finally failed.
/// </summary>
public sealed class OutboxEmail
{
    public const int ErrorMaxLength = 1000;

    public long Id { get; set; }

    public OutboxEmailKind Kind { get; set; }

    public string ToAddress { get; set; } = "";

    /// <summary>The account the email is about ({username}); for admin notifications, not the recipient.</summary>
    public string? UserId { get; set; }

    /// <summary>For a link email: when the link expires at today's setting ({expires}).</summary>
    public DateTime? ExpiresAt { get; set; }

    public bool HasLink { get; set; }

    /// <summary>Rendered at delivery.</summary>
    public string? Subject { get; set; }

    public OutboxEmailStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? SentAt { get; set; }

    /// <summary>The server's reason for the last failed attempt.</summary>
    public string? LastError { get; set; }

    /// <summary>The .eml file written when delivering to the pickup folder.</summary>
    public string? PickupFile { get; set; }
}
