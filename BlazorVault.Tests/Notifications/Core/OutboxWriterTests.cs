using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Notifications.Core;

/// <summary>
/// Queueing on SQLite and on PostgreSQL, before any delivery: what a queued email holds, where its link is kept, admin
/// notices by the settings, and an account's link emails cancelled.
/// </summary>
public abstract class OutboxWriterTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";
    private const string Link = "http://localhost:5000/account/password/selector#verifier";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;
    private int _acme;
    private string _wile = "";

    private OutboxWriter Writer => _host.Get<OutboxWriter>();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(time: _clock, databases: databases);
        _acme = await _host.CreateCustomerAsync("Acme");
        _wile = await _host.CreatePortalUserAsync(_acme, Wile);
    }

    [Fact]
    public async Task AQueuedEmail_IsDueAtOnce_AndItsLinkIsSealedInTheSecretsTable()
    {
        var expires = _clock.GetUtcNow().UtcDateTime.AddDays(1);

        await QueueAsync(OutboxEmailKind.PasswordReset, Wile, _wile, expires, Link);

        var email = await _host.LatestEmailAsync();
        var now = _clock.GetUtcNow().UtcDateTime;
        Assert.Equal(
            (OutboxEmailKind.PasswordReset, Wile, _wile, expires, true),
            (email.Kind, email.ToAddress, email.UserId, email.ExpiresAt, email.HasLink)
        );
        Assert.Equal((OutboxEmailStatus.Queued, 0, now, now), (email.Status, email.Attempts, email.CreatedAt, email.NextAttemptAt));
        Assert.True(await _host.HasSealedLinkAsync(email.Id), "The queued email's link is not in the secrets table.");
    }

    [Fact]
    public async Task AnEmailWithoutALink_KeepsNothingInTheSecretsTable()
    {
        await QueueAsync(OutboxEmailKind.AdminLockout, "security@example.com", _wile, null, link: null);

        var email = await _host.LatestEmailAsync();
        Assert.Equal((OutboxEmailKind.AdminLockout, OutboxEmailStatus.Queued, false), (email.Kind, email.Status, email.HasLink));
        Assert.False(await _host.HasSealedLinkAsync(email.Id));
    }

    [Fact]
    public async Task AnAdminNotice_IsNotQueued_WithoutANotificationAddress()
    {
        var before = (await _host.LatestEmailAsync()).Id;

        Assert.False(await QueueAdminNoticeAsync(OutboxEmailKind.AdminLockout));
        Assert.False(await QueueAdminNoticeAsync(OutboxEmailKind.AdminAgentReset));

        Assert.Equal(before, (await _host.LatestEmailAsync()).Id);
    }

    [Fact]
    public async Task AnAdminNotice_GoesToTheNotificationAddress_OnlyForTheNoticesSwitchedOn()
    {
        await SaveEmailSettingsAsync(s =>
        {
            s.AdminNotificationAddress = "security@example.com";
            s.NotifyAdminOnLockout = false;
            s.NotifyAdminOnAgentReset = true;
        });
        var before = (await _host.LatestEmailAsync()).Id;

        Assert.False(await QueueAdminNoticeAsync(OutboxEmailKind.AdminLockout));
        Assert.Equal(before, (await _host.LatestEmailAsync()).Id);
        Assert.True(await QueueAdminNoticeAsync(OutboxEmailKind.AdminAgentReset));

        var notice = await _host.LatestEmailAsync();
        Assert.Equal(
            (OutboxEmailKind.AdminAgentReset, "security@example.com", _wile, OutboxEmailStatus.Queued, false),
            (notice.Kind, notice.ToAddress, notice.UserId, notice.Status, notice.HasLink)
        );
    }

    [Fact]
    public async Task CancellingLinkEmails_FailsOnlyTheAccountsQueuedLinkEmails_AndDeletesTheirLinks()
    {
        var coyote = await _host.CreatePortalUserAsync(_acme, "coyote@acme.example");
        var welcome = await _host.LatestEmailAsync();
        var wileLink = await QueueAsync(OutboxEmailKind.PasswordReset, Wile, _wile, null, Link);
        var wileNotice = await QueueAsync(OutboxEmailKind.AdminLockout, "security@example.com", _wile, null, link: null);
        var coyoteLink = await QueueAsync(OutboxEmailKind.PasswordReset, "coyote@acme.example", coyote, null, Link);

        await using (var db = await _host.OpenDbAsync())
        {
            await OutboxWriter.CancelLinkEmailsAsync(db, _wile, "The link was void.", Cancellation);
        }

        var cancelled = await _host.EmailAsync(wileLink);
        Assert.Equal((OutboxEmailStatus.Failed, "The link was void."), (cancelled.Status, cancelled.LastError));
        Assert.False(await _host.HasSealedLinkAsync(wileLink), "A cancelled email's link is still in the secrets table.");
        Assert.Equal(OutboxEmailStatus.Queued, (await _host.EmailAsync(wileNotice)).Status);
        Assert.Equal(OutboxEmailStatus.Queued, (await _host.EmailAsync(coyoteLink)).Status);
        Assert.True(await _host.HasSealedLinkAsync(coyoteLink), "Another account's link was deleted.");
        Assert.Equal(OutboxEmailStatus.Sent, (await _host.EmailAsync(welcome.Id)).Status);
    }

    [Fact]
    public async Task DeliverSoon_StartsTheOutboxJob()
    {
        var before = _host.Scheduler.Triggered.Count;

        await Writer.DeliverSoonAsync();

        Assert.Equal(EmailDelivery.JobKey, Assert.Single(_host.Scheduler.Triggered.Skip(before)));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <returns>The queued email's id.</returns>
    private async Task<long> QueueAsync(OutboxEmailKind kind, string to, string? userId, DateTime? expiresAt, string? link)
    {
        await using (var db = await _host.OpenDbAsync())
        {
            await Writer.QueueAsync(db, kind, to, userId, expiresAt, link, Cancellation);
        }

        return (await _host.LatestEmailAsync()).Id;
    }

    private async Task<bool> QueueAdminNoticeAsync(OutboxEmailKind kind)
    {
        await using var db = await _host.OpenDbAsync();
        return await Writer.QueueAdminNoticeAsync(db, kind, _wile, null, Cancellation);
    }

    private async Task SaveEmailSettingsAsync(Action<EmailSettings> change) =>
        await _host.AsSystemAsync(async () =>
        {
            var settings = _host.Get<SettingsService>();
            var values = await settings.GetAsync<EmailSettings>();
            change(values);
            await settings.SaveAsync(values);
            return true;
        });

    public sealed class OnSqlite() : OutboxWriterTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : OutboxWriterTests(postgres);
}
