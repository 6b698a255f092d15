using System.Text.RegularExpressions;

namespace BlazorVault.Core.Settings.Sections;

/// <summary>
/// The texts of the emails BlazorVault sends, edited on the Email page with a preview. Placeholders:
/// <c>{username}</c> (the account's sign-in name), <c>{name}</c>, <c>{link}</c> and <c>{expires}</c>. Passwords are
/// never part of an email.
/// </summary>
[SettingsSection("email-templates", "Email templates", "What the emails to users and to the admin notification address say.")]
public sealed partial class EmailTemplateSettings : SettingsSection
{
    public const int SubjectMaxLength = 200;
    public const int BodyMaxLength = 5000;
    public static readonly IReadOnlyList<string> Placeholders = ["{username}", "{name}", "{link}", "{expires}"];

    [Setting("Welcome email: subject", "Sent when an agent creates an account.")]
    public string WelcomeSubject { get; set; } = "Your BlazorVault account";

    [Setting("Welcome email: text", "Must contain {link}, the set-password link.", Multiline = true)]
    public string WelcomeBody { get; set; } =
        "Hello {name},\n\nAn account has been created for you: {username}. Choose your password with this link:\n\n{link}\n\n"
        + "The link works once and expires on {expires}. If you did not expect this email, you can ignore it.";

    [Setting("Password reset email: subject", "Sent from \"Forgotten Password?\", by an agent, and when a password has expired.")]
    public string ResetSubject { get; set; } = "Reset your BlazorVault password";

    [Setting("Password reset email: text", "Must contain {link}, the set-password link.", Multiline = true)]
    public string ResetBody { get; set; } =
        "Hello {name},\n\nA password reset was requested for {username}. Choose a new password with this link:\n\n{link}\n\n"
        + "The link works once and expires on {expires}. If you did not ask for it, ignore this email: your password stays as it is.";

    [Setting("Expiry reminder: subject", "Sent the configured number of days before a password expires.")]
    public string ReminderSubject { get; set; } = "Your BlazorVault password expires on {expires}";

    [Setting("Expiry reminder: text", "{link} opens the page where the password is changed.", Multiline = true)]
    public string ReminderBody { get; set; } =
        "Hello {name},\n\nThe password of {username} expires on {expires}. Change it before then at:\n\n{link}\n\n"
        + "After that date, sign-in asks you to choose a new one by email.";

    [Setting("Admin notice, lockout: subject", "Sent to the admin notification address.")]
    public string AdminLockoutSubject { get; set; } = "Account locked out: {username}";

    [Setting("Admin notice, lockout: text", "{expires} is when the lockout ends; {link} opens the account.", Multiline = true)]
    public string AdminLockoutBody { get; set; } =
        "The account {username} ({name}) was locked out after repeated failed sign-ins. It can sign in again after {expires}.\n\n{link}";

    [Setting("Admin notice, reset by an agent: subject", "Sent to the admin notification address.")]
    public string AdminResetSubject { get; set; } = "Password reset email sent to {username}";

    [Setting(
        "Admin notice, reset by an agent: text",
        "{expires} is when the reset link expires; {link} opens the account.",
        Multiline = true
    )]
    public string AdminResetBody { get; set; } =
        "An agent sent a password reset email to {username} ({name}). The link expires on {expires}. The audit log names the "
        + "agent.\n\n{link}";

    [Setting("Access request: subject", "Sent to each administrator and approver who may decide an agent's access request.")]
    public string AccessRequestSubject { get; set; } = "Access request from {name}";

    [Setting(
        "Access request: text",
        "{name} and {username} are the agent who asks; {link} opens the access requests to approve or deny.",
        Multiline = true
    )]
    public string AccessRequestBody { get; set; } =
        "{name} ({username}) asks for access to a stored password. The reason and the password's place are on the "
        + "access requests page, where you approve or deny it with one click:\n\n{link}";

    [Setting("Break-glass: subject", "Sent to every administrator when an agent uses an emergency reveal.")]
    public string BreakGlassSubject { get; set; } = "Break-glass reveal by {name}";

    [Setting(
        "Break-glass: text",
        "{name} and {username} are the agent; {link} opens the passwords they revealed that have not changed since.",
        Multiline = true
    )]
    public string BreakGlassBody { get; set; } =
        "{name} ({username}) used an emergency reveal of a password they had no access to. The password is marked Needs "
        + "rotation. The audit log has their reason; the passwords at risk are here:\n\n{link}";

    public override void Validate(IDictionary<string, string> errors)
    {
        foreach (var property in typeof(EmailTemplateSettings).GetProperties().Where(p => p.PropertyType == typeof(string)))
        {
            var text = (string?)property.GetValue(this) ?? "";
            var isSubject = property.Name.EndsWith("Subject", StringComparison.Ordinal);
            var unknown = Placeholder()
                .Matches(text)
                .Select(m => m.Value)
                .FirstOrDefault(p => !Placeholders.Contains(p, StringComparer.Ordinal));
            if (text.Length == 0)
            {
                errors[property.Name] = "Enter a text.";
            }
            else if (text.Length > (isSubject ? SubjectMaxLength : BodyMaxLength))
            {
                errors[property.Name] = $"At most {(isSubject ? SubjectMaxLength : BodyMaxLength)} characters.";
            }
            else if (isSubject && text.Contains('\n'))
            {
                errors[property.Name] = "A subject is one line.";
            }
            else if (unknown is not null)
            {
                errors[property.Name] = $"{unknown} is not a placeholder; use {string.Join(", ", Placeholders)}.";
            }
            else if (property.Name is nameof(WelcomeBody) or nameof(ResetBody) && !text.Contains("{link}", StringComparison.Ordinal))
            {
                errors[property.Name] = "The text must contain {link}, or the email is useless.";
            }
        }
    }

    [GeneratedRegex(@"\{[^{}\s]{1,30}\}")]
    private static partial Regex Placeholder();
}
