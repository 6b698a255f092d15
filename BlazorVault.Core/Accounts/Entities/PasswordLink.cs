namespace BlazorVault.Core.Accounts.Entities;

/// <summary>
/// A set-password link <c>/account/password/{selector}#{verifier}</c> from a reset or welcome email. Only the
/// verifier's SHA-256 is stored. It is valid for the email settings' "Days until welcome and password emails
/// expire" counted from <see cref="CreatedAt"/>, read when it is used, and only once.
/// </summary>
public sealed class PasswordLink
{
    public Guid Id { get; set; }

    public string Selector { get; set; } = "";

    public byte[] VerifierHash { get; set; } = [];

    public string UserId { get; set; } = "";

    public PasswordLinkPurpose Purpose { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Set when the link is used, or when another of the account's links is used first.</summary>
    public DateTime? UsedAt { get; set; }
}
