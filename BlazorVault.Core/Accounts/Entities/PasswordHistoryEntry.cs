namespace BlazorVault.Core.Accounts.Entities;

/// <summary>The hash of a password an account has had; the policy's history refuses a new password matching one.</summary>
public sealed class PasswordHistoryEntry
{
    public long Id { get; set; }

    public string UserId { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}
