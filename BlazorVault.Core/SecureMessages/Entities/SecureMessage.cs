namespace BlazorVault.Core.SecureMessages.Entities;

/// <summary>
/// A one-time secure message sent from a ticket. The content is AES-GCM ciphertext under a key only the link (and
/// the passphrase) can derive; it is deleted (set to null) in the statement that ends the message.
/// </summary>
/// <remarks>
/// A message starts life through <see cref="Create"/>, active and unattempted. After that it changes only through
/// conditional set-based statements (see <c>SecureMessageQueries.EndAsync</c> and the attempt count in
/// <c>RedeemSecureMessageCommand</c>), never through a tracked entity: concurrent redemptions race in the database, where
/// exactly one of them can win.
/// </remarks>
public sealed class SecureMessage
{
    public const int ContentMaxLength = 10_000;
    public const int PassphraseMaxLength = 200;

    private SecureMessage() { }

    public Guid Id { get; private set; }

    public int TicketId { get; private set; }

    public int CustomerId { get; private set; }

    /// <summary>URL-safe base64 of 128 random bits: the lookup key, the only part of the link the server sees.</summary>
    public string Selector { get; private set; } = "";

    /// <summary>SHA-256 of the verifier (which travels only in the URL fragment).</summary>
    public byte[] VerifierHash { get; private set; } = [];

    public byte[]? Ciphertext { get; private set; }

    public byte[]? Nonce { get; private set; }

    public byte[]? Tag { get; private set; }

    public byte[] Salt { get; private set; } = [];

    public bool HasPassphrase { get; private set; }

    /// <summary>The setting when the message was created: only the ticket's requester, signed in, may view it.</summary>
    public bool RequiresSignIn { get; private set; }

    /// <summary>The ticket's requester when the message was created.</summary>
    public string RecipientId { get; private set; } = "";

    /// <summary>The setting when the message was created; 0 means no limit.</summary>
    public int AttemptLimit { get; private set; }

    public int FailedAttempts { get; private set; }

    public SecureMessageStatus Status { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedByName { get; private set; } = "";

    public DateTime ExpiresAt { get; private set; }

    public DateTime? ClosedAt { get; private set; }

    public string? ViewedFromIp { get; private set; }

    /// <summary>A new, active message with no failed attempts, holding content already sealed under the link's key.</summary>
    /// <param name="content">From <see cref="SecureMessageCipher.Seal"/> with the same <paramref name="id"/> and salt.</param>
    public static SecureMessage Create(
        Guid id,
        int ticketId,
        int customerId,
        string recipientId,
        string selector,
        byte[] verifierHash,
        (byte[] Ciphertext, byte[] Nonce, byte[] Tag) content,
        byte[] salt,
        bool hasPassphrase,
        bool requiresSignIn,
        int attemptLimit,
        string createdByName,
        DateTime createdAt,
        DateTime expiresAt
    ) =>
        new()
        {
            Id = id,
            TicketId = ticketId,
            CustomerId = customerId,
            Selector = selector,
            VerifierHash = verifierHash,
            Ciphertext = content.Ciphertext,
            Nonce = content.Nonce,
            Tag = content.Tag,
            Salt = salt,
            HasPassphrase = hasPassphrase,
            RequiresSignIn = requiresSignIn,
            RecipientId = recipientId,
            AttemptLimit = attemptLimit,
            Status = SecureMessageStatus.Active,
            CreatedAt = createdAt,
            CreatedByName = createdByName,
            ExpiresAt = expiresAt,
        };
}
