namespace BlazorVault.Core.Settings.Sections;

public enum SmtpTlsMode
{
    StartTls,
    Tls,
    None,
}

/// <remarks>
/// The SMTP password is a secret setting: encrypted with its own key, never part of these values. It belongs to the server it
/// was typed for, so that changing the server cannot send it to a host it was never meant for.
/// </remarks>
[SecretSetting(
    SmtpPasswordName,
    "SMTP password",
    "Stored encrypted with the installation's certificate; it is never shown again, only replaced or removed.",
    BoundTo = [nameof(SmtpHost), nameof(SmtpPort), nameof(TlsMode)]
)]
[SettingsSection("email", "Email", "General settings for the emails BlazorVault sends, and the SMTP server that delivers them.")]
public sealed class EmailSettings : SettingsSection
{
    public const string SmtpPasswordName = "SmtpPassword";

    [Setting(
        "Days until welcome and password emails expire",
        "How long a set-password or reset link stays valid, checked when the link is used; default 1."
    )]
    public int LinkValidityDays { get; set; } = 1;

    [Setting(
        "Address of BlazorVault in links",
        "The start of every link in an email, e.g. https://vault.example.com; empty uses the address the server listens on."
    )]
    public string? PublicBaseUrl { get; set; }

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

    [Setting(
        "Admin notification address",
        "Receives a notice when an account is locked out or an agent sends a password reset; empty sends none."
    )]
    public string? AdminNotificationAddress { get; set; }

    [Setting("Notify when an account is locked out", "Repeated failed sign-ins lock an account for 15 minutes.")]
    public bool NotifyAdminOnLockout { get; set; } = true;

    [Setting("Notify when an agent sends a password reset", "Also when an administrator sends one from Configuration > Agents.")]
    public bool NotifyAdminOnAgentReset { get; set; } = true;

    public override void Validate(IDictionary<string, string> errors)
    {
        if (
            PublicBaseUrl is not null
            && (
                !Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var baseUrl)
                || baseUrl.Scheme is not ("https" or "http")
                || !string.IsNullOrEmpty(baseUrl.Query)
                || !string.IsNullOrEmpty(baseUrl.Fragment)
            )
        )
        {
            errors[nameof(PublicBaseUrl)] = "Enter an address starting with https:// (or http://), without ? or #.";
        }

        if (
            AdminNotificationAddress is not null
            && (
                !System.Net.Mail.MailAddress.TryCreate(AdminNotificationAddress, out var admin) || admin.Address != AdminNotificationAddress
            )
        )
        {
            errors[nameof(AdminNotificationAddress)] = "Enter an email address, or leave it empty.";
        }

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
