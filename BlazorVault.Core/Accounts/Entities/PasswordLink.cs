namespace BlazorVault.Core.Accounts.Entities;

/// <summary>
/// A set-password link <c>/account/password/{selector}#{verifier}</c> from a reset or welcome email. Only the
/// verifier's SHA-256 is stored. It is valid for the email settings' "Days until welcome and password emails
/// expire" counted from <see cref="CreatedAt"/>, read when it is used, and only once.
/// </summary>
public sealed class PasswordLink
{
    private PasswordLink() { }

    public Guid Id { get; private set; }

    public string Selector { get; private set; } = "";

    public byte[] VerifierHash { get; private set; } = [];

    public string UserId { get; private set; } = "";

    public PasswordLinkPurpose Purpose { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>
    /// Set when the link is used, or when another of the account's links is used first; always set-based, so of two
    /// simultaneous uses only one spends the link.
    /// </summary>
    public DateTime? UsedAt { get; private set; }

    /// <summary>
    /// Set when this link set the account's password (not when it was voided). For
    /// <see cref="SecondFactorRemovalWindow"/> after, the link may also list and remove the account's other ways of
    /// signing in, for a person who reset the password because they lost a device.
    /// </summary>
    public DateTime? PasswordSetAt { get; private set; }

    public static readonly TimeSpan SecondFactorRemovalWindow = TimeSpan.FromMinutes(15);

    public static PasswordLink Issue(string selector, byte[] verifierHash, string userId, PasswordLinkPurpose purpose, DateTime now) =>
        new()
        {
            Id = Guid.NewGuid(),
            Selector = selector,
            VerifierHash = verifierHash,
            UserId = userId,
            Purpose = purpose,
            CreatedAt = now,
        };

    /// <summary>Whether the link's validity, at today's setting of <paramref name="validityDays"/>, has run out.</summary>
    public bool HasExpired(int validityDays, DateTime now) => CreatedAt.AddDays(validityDays) <= now;

    /// <summary>Whether this link set the password less than <see cref="SecondFactorRemovalWindow"/> ago.</summary>
    public bool SetThePasswordRecently(DateTime now) => PasswordSetAt is { } set && now < set + SecondFactorRemovalWindow;
}
