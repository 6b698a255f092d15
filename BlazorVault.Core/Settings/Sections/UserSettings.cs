namespace BlazorVault.Core.Settings.Sections;

[SettingsSection("users", "Users", "General settings for agents' and portal users' accounts.")]
public sealed class UserSettings : SettingsSection
{
    [Setting(
        "Password auto-expiry",
        "Passwords stop working N days after the last change and must be reset. NIST SP 800-63B advises against periodic expiry; use it "
            + "only where a policy demands it."
    )]
    public bool PasswordExpiryEnabled { get; set; }

    [Setting("Days until a password expires", "Counted from the last password change.", ShownWhen = nameof(PasswordExpiryEnabled))]
    public int PasswordExpiryDays { get; set; } = 90;

    [Setting("Reminder (days before expiry)", "When the reminder email is sent; 0 sends none.", ShownWhen = nameof(PasswordExpiryEnabled))]
    public int ReminderDays { get; set; } = 7;

    public override void Validate(IDictionary<string, string> errors)
    {
        if (PasswordExpiryDays is < 1 or > 3650)
        {
            errors[nameof(PasswordExpiryDays)] = "Enter a number of days from 1 to 3650.";
        }

        if (ReminderDays < 0 || ReminderDays >= PasswordExpiryDays)
        {
            errors[nameof(ReminderDays)] = "Enter 0 or a number of days smaller than the expiry.";
        }
    }
}
