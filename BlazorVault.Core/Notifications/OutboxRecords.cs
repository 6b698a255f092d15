using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Notifications.Entities;

namespace BlazorVault.Core.Notifications;

/// <summary>Where an outbox email's sealed link is kept and how its audit events read: one shape for queue, delivery and view.</summary>
internal static class OutboxRecords
{
    public static SecretSlot LinkSlot(long id) => new("outbox", Key(id), "link");

    /// <summary>An email's audit event: which email, to whom, what kind (and why it failed).</summary>
    public static AuditEntry AuditOf(string action, OutboxEmail email, string? reason = null)
    {
        var details = new Dictionary<string, object?> { ["to"] = email.ToAddress, ["kind"] = email.Kind.ToString() };
        if (reason is not null)
        {
            details["reason"] = reason;
        }

        return new AuditEntry(action, "Email", Key(email.Id), null, details);
    }

    private static string Key(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
