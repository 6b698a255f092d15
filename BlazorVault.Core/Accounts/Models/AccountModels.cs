using BlazorVault.Core.Accounts.Entities;

namespace BlazorVault.Core.Accounts.Models;

/// <summary>Form model for a new account (first administrator, agent or portal user).</summary>
public sealed class NewAccountInput
{
    public string DisplayName { get; set; } = "";

    public string Email { get; set; } = "";

    public string Password { get; set; } = "";
}

/// <summary>Form model for editing an existing account's name and email.</summary>
public sealed class AccountDetailsInput
{
    public string DisplayName { get; set; } = "";

    public string Email { get; set; } = "";
}

/// <param name="LockedOutUntil">Set while failed sign-ins keep the account from signing in (UTC); open sessions continue.</param>
public sealed record AgentSummary(
    string Id,
    string DisplayName,
    string Email,
    bool IsAdmin,
    bool IsEnabled,
    DateTime? LockedOutUntil,
    DateTime CreatedAt
);

/// <summary>My Account &gt; Password.</summary>
public sealed class ChangePasswordInput
{
    public string CurrentPassword { get; set; } = "";

    public string NewPassword { get; set; } = "";

    public string ConfirmPassword { get; set; } = "";
}

/// <summary>What a set-password link's page may show before it is used. Every unusable link looks the same.</summary>
public sealed record PasswordLinkPreview(bool IsUsable, PasswordLinkPurpose Purpose)
{
    public static readonly PasswordLinkPreview Unusable = new(false, PasswordLinkPurpose.Reset);
}

/// <summary>
/// The ways an account signs in besides its password: what "Reset sign-in" removes, and what the page after a password
/// reset by link lists.
/// </summary>
/// <param name="Passkeys">The passkeys' names.</param>
/// <param name="ExternalLogins">The external sign-in providers' display names.</param>
public sealed record SignInFactors(
    bool TwoFactorEnabled,
    bool Authenticator,
    int RecoveryCodes,
    IReadOnlyList<string> Passkeys,
    IReadOnlyList<string> ExternalLogins
)
{
    public bool IsEmpty => !TwoFactorEnabled && !Authenticator && RecoveryCodes == 0 && Passkeys.Count == 0 && ExternalLogins.Count == 0;
}
