using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Notifications.Models;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>The outbox as tests arrange and inspect it: the SMTP server in use, delivery as the job runs it, the stored rows.</summary>
internal static class OutboxTestExtensions
{
    public static async Task UseSmtpAsync(this CoreTestHost host, int port) =>
        await host.AsSystemAsync(async () =>
        {
            var settings = await host.Get<SettingsService>().GetAsync<EmailSettings>();
            settings.SmtpHost = SmtpTestServer.Host;
            settings.SmtpPort = port;
            settings.TlsMode = SmtpTlsMode.None;
            await host.Get<SettingsService>().SaveAsync(settings);
            return true;
        });

    public static Task<OutboxDeliveryResult> DeliverAsync(this CoreTestHost host) =>
        host.AsSystemAsync(() => host.Get<EmailDelivery>().DeliverDueAsync());

    public static async Task<OutboxEmail> LatestEmailAsync(this CoreTestHost host)
    {
        await using var db = await host.OpenDbAsync();
        return await db.OutboxEmails.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync();
    }

    public static async Task<OutboxEmail> EmailAsync(this CoreTestHost host, long id)
    {
        await using var db = await host.OpenDbAsync();
        return await db.OutboxEmails.AsNoTracking().SingleAsync(e => e.Id == id);
    }

    public static async Task<bool> HasSealedLinkAsync(this CoreTestHost host, long emailId)
    {
        var entityId = emailId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var db = await host.OpenDbAsync();
        return await db.Secrets.AnyAsync(s => s.Purpose == "outbox" && s.EntityId == entityId && s.FieldId == "link");
    }
}
