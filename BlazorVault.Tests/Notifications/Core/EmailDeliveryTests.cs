using System.Text.RegularExpressions;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Common;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Notifications.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Notifications.Core;

/// <summary>
/// Delivery against a real SMTP server (aiosmtpd on 127.0.0.1) and the pickup folder, on SQLite and on PostgreSQL: what
/// arrives, what is kept, retries with back-off, final failure, and the administrator's test email.
/// </summary>
public abstract partial class EmailDeliveryTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;
    private SmtpTestServer _smtp = default!;

    private EmailDelivery Delivery => _host.Get<EmailDelivery>();

    private OutboxView View => _host.Get<OutboxView>();

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync();
        _host = await CoreTestHost.StartAsync(time: _clock, databases: databases);
        var acme = await _host.CreateCustomerAsync("Acme");
        await _host.CreatePortalUserAsync(acme, Wile);
    }

    [Fact]
    public async Task AQueuedResetEmail_IsDeliveredToTheSmtpServer_WithTheRenderedTemplate()
    {
        await _host.UseSmtpAsync(_smtp.Port);
        await _host.Get<PasswordResetService>().RequestResetAsync(Wile);

        var result = await _host.DeliverAsync();

        Assert.Equal(new OutboxDeliveryResult(1, 0, 0), result);
        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal("Reset your BlazorVault password", message.Subject);
        Assert.Equal(Wile, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("blazorvault@localhost", Assert.Single(message.From.Mailboxes).Address);
        var body = message.TextBody!.ReplaceLineEndings("\n");
        Assert.StartsWith(
            "Hello wile,\n\nA password reset was requested for wile@acme.example. Choose a new password with this link:\n\n"
                + "http://localhost:5000/account/password/",
            body,
            StringComparison.Ordinal
        );
        Assert.Matches(LinkPattern(), body);
        Assert.Contains(
            $"The link works once and expires on {EmailTemplates.Format(_clock.GetUtcNow().UtcDateTime.AddDays(1))}.",
            body,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain("{", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeliveredEmail_IsMarkedSent_AndItsSealedLinkLeavesTheSecretsTable()
    {
        await _host.UseSmtpAsync(_smtp.Port);
        await _host.Get<PasswordResetService>().RequestResetAsync(Wile);
        var queued = await _host.LatestEmailAsync();
        Assert.Equal((OutboxEmailKind.PasswordReset, OutboxEmailStatus.Queued, true), (queued.Kind, queued.Status, queued.HasLink));
        Assert.True(
            await _host.HasSealedLinkAsync(queued.Id),
            "The queued email's link should be sealed in the secrets table until delivery."
        );

        await _host.DeliverAsync();

        var sent = await _host.EmailAsync(queued.Id);
        Assert.Equal(
            (OutboxEmailStatus.Sent, 1, (string?)null, (string?)null),
            (sent.Status, sent.Attempts, sent.LastError, sent.PickupFile)
        );
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, sent.SentAt);
        Assert.Equal("Reset your BlazorVault password", sent.Subject);
        Assert.False(await _host.HasSealedLinkAsync(queued.Id), "The delivered email's link is still in the secrets table.");
    }

    [Fact]
    public async Task WithoutAnSmtpHost_TheEmailLandsInThePickupFolder_AndAnAdminCanOpenIt()
    {
        await _host.Get<PasswordResetService>().RequestResetAsync(Wile);

        Assert.Equal(new OutboxDeliveryResult(1, 0, 0), await _host.DeliverAsync());

        var sent = await _host.LatestEmailAsync();
        Assert.Equal(OutboxEmailStatus.Sent, sent.Status);
        Assert.NotNull(sent.PickupFile);
        var file = Path.Combine(_host.Paths.MailPickupDirectory, sent.PickupFile);
        Assert.True(File.Exists(file), $"{file} was not written.");
        var onDisk = await MimeKit.MimeMessage.LoadAsync(file);
        Assert.Equal(("Reset your BlazorVault password", Wile), (onDisk.Subject, onDisk.To.Mailboxes.Single().Address));
        var text = await _host.AsSystemAsync(() => View.OpenPickupFileAsync(sent.Id));
        Assert.Equal(onDisk.TextBody, text);
        Assert.Matches(LinkPattern(), text);
        Assert.Empty(_smtp.ReadMessages());
        Assert.False(await _host.HasSealedLinkAsync(sent.Id));
    }

    [Fact]
    public async Task AnUnreachableServer_LeavesTheEmailQueued_WithTheReason_AndTriesAgainAMinuteLater()
    {
        await _host.UseSmtpAsync(SmtpTestServer.FreePort());
        await _host.Get<PasswordResetService>().RequestResetAsync(Wile);
        var now = _clock.GetUtcNow().UtcDateTime;

        Assert.Equal(new OutboxDeliveryResult(0, 1, 0), await _host.DeliverAsync());

        var email = await _host.LatestEmailAsync();
        Assert.Equal((OutboxEmailStatus.Queued, 1), (email.Status, email.Attempts));
        Assert.Equal("Connection refused", email.LastError);
        Assert.Equal(now.AddMinutes(1), email.NextAttemptAt);
        Assert.True(await _host.HasSealedLinkAsync(email.Id), "The link must be kept while the email waits for another try.");
        Assert.Contains(
            _host.Logs.Lines,
            l => l.Contains($"Email {email.Id} (PasswordReset) was not delivered: Connection refused", StringComparison.Ordinal)
        );

        // Not due yet: nothing is tried.
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(new OutboxDeliveryResult(0, 0, 0), await _host.DeliverAsync());
        Assert.Equal(1, (await _host.EmailAsync(email.Id)).Attempts);
    }

    [Fact]
    public async Task OnceTheServerIsReachable_TheWaitingEmailIsDelivered_AtItsNextTry()
    {
        await _host.UseSmtpAsync(SmtpTestServer.FreePort());
        await _host.Get<PasswordResetService>().RequestResetAsync(Wile);
        await _host.DeliverAsync();
        await _host.UseSmtpAsync(_smtp.Port);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new OutboxDeliveryResult(1, 0, 0), await _host.DeliverAsync());

        var email = await _host.LatestEmailAsync();
        Assert.Equal((OutboxEmailStatus.Sent, 2, (string?)null), (email.Status, email.Attempts, email.LastError));
        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Matches(LinkPattern(), message.TextBody);
    }

    [Fact]
    public async Task AfterMaxAttempts_TheEmailHasFailed_WithBackOffBetweenTries_AndItsLinkIsDeleted()
    {
        await _host.UseSmtpAsync(SmtpTestServer.FreePort());
        await _host.Get<PasswordResetService>().RequestResetAsync(Wile);
        var id = (await _host.LatestEmailAsync()).Id;
        var waits = new List<double>();

        for (var attempt = 1; attempt < EmailDelivery.MaxAttempts; attempt++)
        {
            Assert.Equal(new OutboxDeliveryResult(0, 1, 0), await _host.DeliverAsync());
            var waiting = await _host.EmailAsync(id);
            Assert.Equal((OutboxEmailStatus.Queued, attempt), (waiting.Status, waiting.Attempts));
            waits.Add((waiting.NextAttemptAt - _clock.GetUtcNow().UtcDateTime).TotalMinutes);
            _clock.Advance(waiting.NextAttemptAt - _clock.GetUtcNow().UtcDateTime);
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 60], waits);
        Assert.True(await _host.HasSealedLinkAsync(id));

        Assert.Equal(new OutboxDeliveryResult(0, 0, 1), await _host.DeliverAsync());

        var failed = await _host.EmailAsync(id);
        Assert.Equal(
            (OutboxEmailStatus.Failed, EmailDelivery.MaxAttempts, "Connection refused"),
            (failed.Status, failed.Attempts, failed.LastError)
        );
        Assert.False(await _host.HasSealedLinkAsync(id), "A finally failed email's link is still in the secrets table.");
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(new OutboxDeliveryResult(0, 0, 0), await _host.DeliverAsync());
        var listed = Assert.Single((await _host.AsSystemAsync(() => View.ListAsync(OutboxEmailStatus.Failed, 0, 10))).Items);
        Assert.Equal((id, false), (listed.Id, listed.CanRetry));
        await Assert.ThrowsAsync<ValidationFailedException>(() =>
            _host.AsSystemAsync(async () =>
            {
                await View.RetryAsync(id);
                return true;
            })
        );
    }

    [Fact]
    public async Task SendTest_ThroughTheRealServer_SucceedsAndArrives()
    {
        await _host.UseSmtpAsync(_smtp.Port);

        var result = await _host.AsSystemAsync(() => Delivery.SendTestAsync("ops@example.com"));

        Assert.Equal(new EmailTestResult(true, $"Sent to ops@example.com through 127.0.0.1:{_smtp.Port}."), result);
        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal(("BlazorVault test email", "ops@example.com"), (message.Subject, message.To.Mailboxes.Single().Address));
        Assert.Equal("This is a test email from BlazorVault, sent by System. Email delivery works.", message.TextBody!.TrimEnd());
    }

    [Fact]
    public async Task SendTest_AgainstAClosedPort_ReturnsTheServersExactError()
    {
        await _host.UseSmtpAsync(SmtpTestServer.FreePort());

        var result = await _host.AsSystemAsync(() => Delivery.SendTestAsync("ops@example.com"));

        Assert.Equal(new EmailTestResult(false, "Connection refused"), result);
        Assert.Empty(_smtp.ReadMessages());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [GeneratedRegex("/account/password/[A-Za-z0-9_-]+#[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();

    public sealed class OnSqlite() : EmailDeliveryTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : EmailDeliveryTests(postgres);
}
