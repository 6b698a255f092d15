using BlazorVault.Core.Accounts;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Notifications.Models;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Notifications.Core;

/// <summary>
/// The administrator's outbox, on SQLite and on PostgreSQL with a real SMTP server: a failed email sent again, and who may look.
/// </summary>
public abstract class OutboxViewTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;
    private SmtpTestServer _smtp = default!;
    private string _wile = "";

    private EmailDelivery Delivery => _host.Get<EmailDelivery>();

    private OutboxView View => _host.Get<OutboxView>();

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync();
        _host = await CoreTestHost.StartAsync(time: _clock, databases: databases);
        var acme = await _host.CreateCustomerAsync("Acme");
        _wile = await _host.CreatePortalUserAsync(acme, Wile);
    }

    [Fact]
    public async Task AFailedNoticeWithoutALink_CanBeSentAgain_AndArrives()
    {
        await _host.AsSystemAsync(async () =>
        {
            var closed = new EmailSettings
            {
                SmtpHost = SmtpTestServer.Host,
                SmtpPort = SmtpTestServer.FreePort(),
                TlsMode = SmtpTlsMode.None,
                AdminNotificationAddress = "security@example.com",
            };
            await _host.Get<SettingsService>().SaveAsync(closed);
            return true;
        });
        var agent = await _host.CreateAgentAsync("alex@example.com");
        await _host.ActAsAsync(agent);
        await _host.Get<PasswordResetService>().SendResetEmailAsync(_wile);
        for (var attempt = 0; attempt < EmailDelivery.MaxAttempts; attempt++)
        {
            await _host.DeliverAsync();
            _clock.Advance(TimeSpan.FromHours(1));
        }

        var failed = (await _host.AsSystemAsync(() => View.ListAsync(OutboxEmailStatus.Failed, 0, 10))).Items;
        var notice = Assert.Single(failed, e => e.Kind == OutboxEmailKind.AdminAgentReset);
        Assert.Equal(("security@example.com", true), (notice.To, notice.CanRetry));
        Assert.False(Assert.Single(failed, e => e.Kind == OutboxEmailKind.PasswordReset).CanRetry);
        await _host.UseSmtpAsync(_smtp.Port);

        await _host.AsSystemAsync(async () =>
        {
            await View.RetryAsync(notice.Id);
            return true;
        });

        var queued = await _host.EmailAsync(notice.Id);
        Assert.Equal((OutboxEmailStatus.Queued, 0), (queued.Status, queued.Attempts));
        Assert.Equal(new OutboxDeliveryResult(1, 0, 0), await _host.DeliverAsync());
        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal(
            ("Password reset email sent to wile@acme.example", "security@example.com"),
            (message.Subject, message.To.Mailboxes.Single().Address)
        );
        Assert.Contains(EmailDelivery.JobKey, _host.Scheduler.Triggered);
    }

    [Fact]
    public async Task OnlyAdministrators_DeliverListOrOpenEmails()
    {
        var welcome = await _host.LatestEmailAsync();
        Assert.Equal((OutboxEmailKind.Welcome, OutboxEmailStatus.Sent), (welcome.Kind, welcome.Status));
        await _host.ActAsAsync(await _host.CreateAgentAsync("alex@example.com"));
        await _host.Get<PasswordResetService>().RequestResetAsync(Wile);

        await Assert.ThrowsAsync<BlazorVault.Core.Security.AccessDeniedException>(() => View.OpenPickupFileAsync(welcome.Id));
        await Assert.ThrowsAsync<BlazorVault.Core.Security.AccessDeniedException>(() => Delivery.DeliverDueAsync());
        await Assert.ThrowsAsync<BlazorVault.Core.Security.AccessDeniedException>(() => View.ListAsync(null, 0, 10));
        await Assert.ThrowsAsync<BlazorVault.Core.Security.AccessDeniedException>(() => Delivery.SendTestAsync("ops@example.com"));
        Assert.Equal(OutboxEmailStatus.Queued, (await _host.LatestEmailAsync()).Status);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : OutboxViewTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : OutboxViewTests(postgres);
}
