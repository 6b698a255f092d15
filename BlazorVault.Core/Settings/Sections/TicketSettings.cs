namespace BlazorVault.Core.Settings.Sections;

[SettingsSection("tickets", "Tickets", "Ticket details: one-time secure message links sent from a ticket.")]
public sealed class TicketSettings : SettingsSection
{
    public static readonly int[] ExpiryChoices = [1, 7, 30];

    [Setting("Enable secure message links", "Lets agents send a one-time secure message link from a ticket's \"...\" menu.")]
    public bool SecureMessagesEnabled { get; set; }

    [Setting(
        "Passphrase attempt limit",
        "Wrong passphrases allowed before the message is destroyed; 0 means no limit (rate limiting still applies).",
        ShownWhen = nameof(SecureMessagesEnabled)
    )]
    public int PassphraseAttemptLimit { get; set; } = 3;

    [Setting(
        "Require portal sign-in to view",
        "Only the ticket's requester, signed in to the portal, can open a secure message link.",
        ShownWhen = nameof(SecureMessagesEnabled)
    )]
    public bool RequirePortalSignIn { get; set; }

    [Setting("Default expiry (days)", "The expiry the dialog suggests: 1, 7 or 30 days.", ShownWhen = nameof(SecureMessagesEnabled))]
    public int DefaultExpiryDays { get; set; } = 7;

    public override void Validate(IDictionary<string, string> errors)
    {
        if (PassphraseAttemptLimit is < 0 or > 100)
        {
            errors[nameof(PassphraseAttemptLimit)] = "Enter 0 (no limit) or a number from 1 to 100.";
        }

        if (!ExpiryChoices.Contains(DefaultExpiryDays))
        {
            errors[nameof(DefaultExpiryDays)] = "Choose 1, 7 or 30 days.";
        }
    }
}
