namespace BlazorVault.Core.SecureMessages.Entities;

public enum SecureMessageStatus
{
    Active,
    Viewed,
    Locked,
    Expired,
    Revoked,
}

/// <summary>
/// A one-time secure message sent from a ticket. The content is AES-GCM ciphertext under a key only the link (and
/// the passphrase) can derive; it is deleted (set to null) in the statement that ends the message.
/// </summary>
public sealed class SecureMessage
{
    public const int ContentMaxLength = 10_000;
    public const int PassphraseMaxLength = 200;

    public Guid Id { get; set; }

    public int TicketId { get; set; }

    public int CustomerId { get; set; }

    /// <summary>URL-safe base64 of 128 random bits: the lookup key, the only part of the link the server sees.</summary>
    public string Selector { get; set; } = "";

    /// <summary>SHA-256 of the verifier (which travels only in the URL fragment).</summary>
    public byte[] VerifierHash { get; set; } = [];

    public byte[]? Ciphertext { get; set; }

    public byte[]? Nonce { get; set; }

    public byte[]? Tag { get; set; }

    public byte[] Salt { get; set; } = [];

    public bool HasPassphrase { get; set; }

    /// <summary>The setting when the message was created: only the ticket's requester, signed in, may view it.</summary>
    public bool RequiresSignIn { get; set; }

    /// <summary>The ticket's requester when the message was created.</summary>
    public string RecipientId { get; set; } = "";

    /// <summary>The setting when the message was created; 0 means no limit.</summary>
    public int AttemptLimit { get; set; }

    public int FailedAttempts { get; set; }

    public SecureMessageStatus Status { get; set; }

    public DateTime CreatedAt { get; set; }

    public string CreatedByName { get; set; } = "";

    public DateTime ExpiresAt { get; set; }

    public DateTime? ClosedAt { get; set; }

    public string? ViewedFromIp { get; set; }
}
