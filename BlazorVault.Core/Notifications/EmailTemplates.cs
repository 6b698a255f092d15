using System.Reflection;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Settings.Sections;

namespace BlazorVault.Core.Notifications;

/// <summary>The values an email's placeholders take.</summary>
/// <param name="Expires">Already formatted (UTC), or empty.</param>
public sealed record EmailValues(string Username, string Name, string Link, string Expires);

/// <summary>A rendered email.</summary>
public sealed record RenderedEmail(string Subject, string Body);

/// <summary>Fills a template's placeholders. Values are inserted once, so a value that contains a placeholder stays as typed.</summary>
public static class EmailTemplates
{
    /// <summary>The names of the two settings that hold a kind's template: {prefix}Subject and {prefix}Body.</summary>
    public static string SettingPrefix(OutboxEmailKind kind) =>
        kind switch
        {
            OutboxEmailKind.Welcome => "Welcome",
            OutboxEmailKind.PasswordReset => "Reset",
            OutboxEmailKind.ExpiryReminder => "Reminder",
            OutboxEmailKind.AdminLockout => "AdminLockout",
            OutboxEmailKind.AdminAgentReset => "AdminReset",
            OutboxEmailKind.AccessRequested => "AccessRequest",
            OutboxEmailKind.BreakGlass => "BreakGlass",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

    public static (PropertyInfo Subject, PropertyInfo Body) SettingsFor(OutboxEmailKind kind) =>
        (
            typeof(EmailTemplateSettings).GetProperty(SettingPrefix(kind) + "Subject")!,
            typeof(EmailTemplateSettings).GetProperty(SettingPrefix(kind) + "Body")!
        );

    public static RenderedEmail Render(EmailTemplateSettings templates, OutboxEmailKind kind, EmailValues values)
    {
        var (subjectSetting, bodySetting) = SettingsFor(kind);
        var (subject, body) = ((string)subjectSetting.GetValue(templates)!, (string)bodySetting.GetValue(templates)!);
        return new RenderedEmail(Fill(subject, values with { Link = "" }).ReplaceLineEndings(" ").Trim(), Fill(body, values));
    }

    /// <summary>What the Email page's preview shows: made-up values, and a link that goes nowhere.</summary>
    public static EmailValues Sample(DateTime now) =>
        new("wile@acme.example", "Wile Coyote", "https://vault.example.com/account/password/selector#verifier", Format(now.AddDays(1)));

    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Fill(string template, EmailValues values)
    {
        var text = new System.Text.StringBuilder(template.Length + 200);
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            if (open < 0)
            {
                break;
            }

            var close = template.IndexOf('}', open);
            var value =
                close < 0
                    ? null
                    : template[open..(close + 1)] switch
                    {
                        "{username}" => values.Username,
                        "{name}" => values.Name,
                        "{link}" => values.Link,
                        "{expires}" => values.Expires,
                        _ => null,
                    };
            text.Append(template, position, open - position);
            if (value is null)
            {
                text.Append('{');
                position = open + 1;
            }
            else
            {
                text.Append(value);
                position = close + 1;
            }
        }

        return text.Append(template, position, template.Length - position).ToString();
    }
}
