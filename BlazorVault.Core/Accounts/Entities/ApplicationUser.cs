using BlazorVault.Core.Customers.Entities;
using Microsoft.AspNetCore.Identity;

namespace BlazorVault.Core.Accounts.Entities;

/// <summary>An agent, admin or portal user. Portal users belong to exactly one customer.</summary>
public sealed class ApplicationUser : IdentityUser
{
    public const int DisplayNameMaxLength = 200;

    [PersonalData]
    public string DisplayName { get; set; } = "";

    public int? CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Set when an administrator or agent disables the account: it may not sign in and its open sessions end.
    /// Distinct from Identity's lockout after failed sign-ins, which only blocks new sign-ins for a while.
    /// </summary>
    public DateTime? DisabledAt { get; set; }

    /// <summary>When the password was last set (created, changed, reset); auto-expiry counts from here.</summary>
    public DateTime? PasswordChangedAt { get; set; }

    /// <summary>Set by the daily job when the password is too old; cleared when a new one is set or a longer expiry is saved.</summary>
    public DateTime? PasswordExpiredAt { get; set; }

    /// <summary>When the expiry reminder for the current password went out; one reminder per password.</summary>
    public DateTime? ExpiryReminderSentAt { get; set; }

    /// <summary>
    /// When an administrator last took the agent out of an agent group: Configuration &gt; Agents then shows the passwords
    /// they revealed that have not changed since.
    /// </summary>
    public DateTime? AccessNarrowedAt { get; set; }
}
