namespace BlazorVault.Core.Settings.Sections;

public enum SmtpTlsMode
{
    StartTls,
    Tls,
    None,
}

/// <remarks>The SMTP password is a secret setting: encrypted with its own key, never part of these values.</remarks>
[SecretSetting(SmtpPasswordName, "SMTP password", "Stored encrypted with the installation's certificate; it is never shown again, only replaced or removed.")]
[SettingsSection("email", "Email", "General settings for the emails BlazorVault sends, and the SMTP server that delivers them.")]
public sealed class EmailSettings : ISettingsSection
{
    public const string SmtpPasswordName = "SmtpPassword";

    [Setting("Days until welcome and password emails expire", "How long a set-password or reset link stays valid, checked when the link is used; default 1.")]
    public int LinkValidityDays { get; set; } = 1;

    [Setting("SMTP host", "The mail server that delivers BlazorVault's email; empty writes emails to the pickup folder instead.")]
    public string? SmtpHost { get; set; }

    [Setting("SMTP port", "Usually 587 for STARTTLS or 465 for TLS.")]
    public int SmtpPort { get; set; } = 587;

    [Setting("TLS mode", "StartTls upgrades a plain connection; Tls connects encrypted; None is only for a relay on this machine.")]
    public SmtpTlsMode TlsMode { get; set; } = SmtpTlsMode.StartTls;

    [Setting("SMTP user name", "Leave empty when the server needs no sign-in.")]
    public string? SmtpUser { get; set; }

    [Setting("From address", "The sender of every email, e.g. helpdesk@example.com.")]
    public string FromAddress { get; set; } = "blazorvault@localhost";

    public void Validate(IDictionary<string, string> errors)
    {
        if (LinkValidityDays is < 1 or > 30)
        {
            errors[nameof(LinkValidityDays)] = "Enter a number of days from 1 to 30.";
        }

        if (SmtpHost is { Length: > 253 } || (SmtpHost is not null && Uri.CheckHostName(SmtpHost.Trim()) == UriHostNameType.Unknown))
        {
            errors[nameof(SmtpHost)] = "Enter a host name or IP address.";
        }

        if (SmtpPort is < 1 or > 65535)
        {
            errors[nameof(SmtpPort)] = "Enter a port from 1 to 65535.";
        }

        if (!Enum.IsDefined(TlsMode))
        {
            errors[nameof(TlsMode)] = "Choose a TLS mode.";
        }

        if (SmtpUser is { Length: > 256 })
        {
            errors[nameof(SmtpUser)] = "At most 256 characters.";
        }

        if (!System.Net.Mail.MailAddress.TryCreate(FromAddress, out var from) || from.Address != FromAddress.Trim())
        {
            errors[nameof(FromAddress)] = "Enter an email address.";
        }
    }
}
