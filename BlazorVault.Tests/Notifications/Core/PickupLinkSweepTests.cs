using System.Text;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Notifications.Models;
using BlazorVault.Tests.Accounts.Core;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Notifications.Core;

/// <summary>
/// An installation without an SMTP server, on SQLite and on PostgreSQL, with a temp pickup folder: once a set-password link is
/// used or has expired, the outbox job takes it out of its .eml file (the verifier is the canary searched for in the
/// file's bytes), and the Outbox says so.
/// </summary>
public abstract class PickupLinkSweepTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";
    private const string NewPassword = "purple tractor on a quiet hill";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;

    private OutboxView View => _host.Get<OutboxView>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(time: _clock, databases: databases);
        await _host.CreatePortalUserAsync(await _host.CreateCustomerAsync("Acme"), Wile);
    }

    [Fact]
    public async Task AUsedWelcomeLink_IsRemovedFromItsPickupFile_AndTheOutboxSaysSo()
    {
        var (selector, verifier, _) = await _host.DeliverAndReadLinkAsync(Wile);
        var welcome = await _host.LatestEmailAsync();
        Assert.Equal(OutboxEmailKind.Welcome, welcome.Kind);
        Assert.True(await PickupFileHoldsAsync(welcome, verifier), "The delivered pickup file should hold the link (the canary).");
        Assert.Equal(0, await RunOutboxJobAsync());
        Assert.True(await PickupFileHoldsAsync(welcome, verifier), "A link that is still usable was removed.");
        await _host.Get<PasswordLinkService>().CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);

        var removed = await RunOutboxJobAsync();

        Assert.False(await PickupFileHoldsAsync(welcome, verifier), "The used link's verifier is still in the pickup file.");
        Assert.Equal(1, removed);
        if (!OperatingSystem.IsWindows())
        {
            var file = Path.Combine(_host.Paths.MailPickupDirectory, welcome.PickupFile!);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var row = await SummaryAsync(welcome.Id);
        Assert.Equal((_clock.GetUtcNow().UtcDateTime, true), (row.LinkRemovedAt, row.CanOpen));
        var opened = (await _host.AsSystemAsync(() => View.OpenPickupFileAsync(welcome.Id))).ReplaceLineEndings("\n");
        Assert.DoesNotContain("/account/password/", opened, StringComparison.Ordinal);
        Assert.StartsWith(
            $"Hello wile,\n\nAn account has been created for you: {Wile}. Choose your password with this link:\n\n"
                + $"{PickupLinkSweep.RemovedText}\n",
            opened,
            StringComparison.Ordinal
        );
        Assert.Equal(0, await RunOutboxJobAsync());
        await using var db = await _host.OpenDbAsync();
        var audited = await db.AuditEvents.AsNoTracking().SingleAsync(a => a.Action == AuditActions.EmailLinksRemoved);
        Assert.Equal("{\"emails\":1}", audited.Details);
    }

    [Fact]
    public async Task APickupFileDeletedByHand_CountsAsRemoved_AndDoesNotStopTheJob()
    {
        var (selector, verifier, _) = await _host.DeliverAndReadLinkAsync(Wile);
        var welcome = await _host.LatestEmailAsync();
        await _host.Get<PasswordLinkService>().CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);
        File.Delete(Path.Combine(_host.Paths.MailPickupDirectory, welcome.PickupFile!));

        Assert.Equal(1, await RunOutboxJobAsync());

        Assert.Equal(_clock.GetUtcNow().UtcDateTime, (await SummaryAsync(welcome.Id)).LinkRemovedAt);
        Assert.Empty(Directory.GetFiles(_host.Paths.MailPickupDirectory));
    }

    [Fact]
    public async Task AnExpiredLink_IsRemovedFromItsPickupFile_WhileANewerLiveOneStays()
    {
        var (_, welcomeVerifier, _) = await _host.DeliverAndReadLinkAsync(Wile);
        var welcome = await _host.LatestEmailAsync();
        _clock.Advance(TimeSpan.FromHours(12));
        var (_, resetVerifier) = await _host.RequestResetLinkAsync(Wile);
        var reset = await _host.LatestEmailAsync();
        Assert.Equal(OutboxEmailKind.PasswordReset, reset.Kind);
        Assert.True(await PickupFileHoldsAsync(reset, resetVerifier), "The delivered pickup file should hold the link (the canary).");

        _clock.Advance(TimeSpan.FromHours(12));
        var removed = await RunOutboxJobAsync();

        Assert.False(await PickupFileHoldsAsync(welcome, welcomeVerifier), "The expired welcome link is still in its pickup file.");
        Assert.Equal(1, removed);
        Assert.True(await PickupFileHoldsAsync(reset, resetVerifier), "The reset link, valid for 12 more hours, was removed.");
        Assert.Null((await SummaryAsync(reset.Id)).LinkRemovedAt);

        _clock.Advance(TimeSpan.FromHours(12));
        Assert.Equal(1, await RunOutboxJobAsync());

        Assert.False(await PickupFileHoldsAsync(reset, resetVerifier), "The expired reset link is still in its pickup file.");
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, (await SummaryAsync(reset.Id)).LinkRemovedAt);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime.AddHours(-12), (await SummaryAsync(welcome.Id)).LinkRemovedAt);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>What the outbox job runs: delivery, then the pickup folder's spent links.</summary>
    /// <returns>How many pickup files lost their link.</returns>
    private async Task<int> RunOutboxJobAsync()
    {
        await _host.DeliverAsync();
        return await _host.AsSystemAsync(() => _host.Get<PickupLinkSweep>().RemoveSpentLinksAsync());
    }

    private async Task<bool> PickupFileHoldsAsync(OutboxEmail email, string verifier)
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_host.Paths.MailPickupDirectory, email.PickupFile!));
        return bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(verifier)) >= 0;
    }

    private async Task<OutboxEmailSummary> SummaryAsync(long id) =>
        Assert.Single((await _host.AsSystemAsync(() => View.ListAsync(null, 0, 50))).Items, e => e.Id == id);

    public sealed class OnSqlite() : PickupLinkSweepTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : PickupLinkSweepTests(postgres);
}
