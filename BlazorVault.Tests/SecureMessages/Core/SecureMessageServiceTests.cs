using System.Text;
using BlazorVault.Core.Common;
using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.SecureMessages.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Core.Tickets;
using BlazorVault.Core.Tickets.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.SecureMessages.Core;

/// <summary>One-time links on a real SQLite file: consumed once under concurrency, counted failures, expiry, no secrets at rest.</summary>
public sealed class SecureMessageServiceTests : IAsyncLifetime
{
    private const string Content = "secure-canary-content-41d2";
    private const string Passphrase = "secure-canary-passphrase-9e";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;
    private int _ticket;

    private string _requester = "";

    private SecureMessageService Messages => _host.Get<SecureMessageService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(time: _clock);
        var customer = await _host.CreateCustomerAsync("Acme");
        var requester = _requester = await _host.CreatePortalUserAsync(customer, "wile@acme.example");
        await _host.AsSystemAsync(async () =>
        {
            await _host.Get<SettingsService>().SaveAsync(new TicketSettings { SecureMessagesEnabled = true, PassphraseAttemptLimit = 3 });
            return true;
        });
        _ticket = await _host.AsSystemAsync(() => _host.Get<TicketService>().CreateAsync(new NewTicketInput { CustomerId = customer, RequesterId = requester, Subject = "Wi-Fi", Description = "New password please" }));
        await _host.ActAsAsync(await _host.CreateAgentAsync("alex@example.com"));
    }

    [Fact]
    public async Task TwentySimultaneousCorrectRequests_ExactlyOneGetsTheContent()
    {
        var link = await Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Messages.RedeemAsync(selector, verifier, null, "203.0.113.7"))));

        var shown = Assert.Single(results, r => r.Outcome == RedeemOutcome.Shown);
        Assert.Equal(Content, shown.Content);
        Assert.All(results.Where(r => r != shown), r => Assert.Equal(RedeemOutcome.Unavailable, r.Outcome));
        var stored = await StoredAsync(link.Id);
        Assert.Equal((SecureMessageStatus.Viewed, "203.0.113.7"), (stored.Status, stored.ViewedFromIp));
        Assert.Null(stored.Ciphertext);
        Assert.Equal(RedeemOutcome.Unavailable, (await Messages.RedeemAsync(selector, verifier, null, null)).Outcome);
        var timeline = (await _host.Get<TicketService>().GetAsync(_ticket)).Timeline.Where(a => a.Kind == BlazorVault.Core.Tickets.Entities.TicketActivityKind.SecureMessage).Select(a => a.Body).ToList();
        Assert.Equal(2, timeline.Count);
        Assert.Contains("The secure message was viewed from 203.0.113.7; its content is now deleted.", timeline);
        Assert.DoesNotContain(timeline, b => b!.Contains(Content, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwentySimultaneousWrongPassphrases_WithLimitThree_CountExactlyThree_AndDestroyTheContent()
    {
        var link = await Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content, Passphrase = Passphrase, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Messages.RedeemAsync(selector, verifier, $"wrong-{i}", null))));

        Assert.DoesNotContain(results, r => r.Outcome == RedeemOutcome.Shown);
        var stored = await StoredAsync(link.Id);
        Assert.Equal((3, SecureMessageStatus.Locked), (stored.FailedAttempts, stored.Status));
        Assert.Null(stored.Ciphertext);
        Assert.Equal(RedeemOutcome.Unavailable, (await Messages.RedeemAsync(selector, verifier, Passphrase, null)).Outcome);
    }

    [Fact]
    public async Task AWrongPassphrase_SaysHowManyAttemptsRemain_AndTheRightOneStillWorks()
    {
        var link = await Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content, Passphrase = Passphrase, ExpiryDays = 1 });
        var (selector, verifier) = Split(link);
        Assert.Equal(new SecureMessagePreview(true, true, 3), await Messages.PreviewAsync(selector));
        Assert.Equal(RedeemOutcome.PassphraseRequired, (await Messages.RedeemAsync(selector, verifier, null, null)).Outcome);

        var wrong = await Messages.RedeemAsync(selector, verifier, "nope", null);

        Assert.Equal((RedeemOutcome.WrongPassphrase, (int?)2), (wrong.Outcome, wrong.AttemptsRemaining));
        Assert.Equal(new SecureMessagePreview(true, true, 2), await Messages.PreviewAsync(selector));
        Assert.Equal(Content, (await Messages.RedeemAsync(selector, verifier, Passphrase, null)).Content);
    }

    [Fact]
    public async Task ViewingTheLinkPage_TenTimes_ConsumesNothing()
    {
        var link = await Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(new SecureMessagePreview(true, false, null), await Messages.PreviewAsync(selector));
        }

        Assert.Equal(Content, (await Messages.RedeemAsync(selector, verifier, null, null)).Content);
        Assert.Equal(new SecureMessagePreview(false, false, null), await Messages.PreviewAsync(selector));
    }

    [Fact]
    public async Task AnExpiredLink_IsRefusedAtUse_BeforeTheSweep_AndTheSweepIsOneStatement()
    {
        var soon = await Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content, ExpiryDays = 1 });
        var later = await Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content, ExpiryDays = 30 });
        var others = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 })));
        _clock.Advance(TimeSpan.FromDays(1));

        var (selector, verifier) = Split(soon);
        Assert.Equal(RedeemOutcome.Unavailable, (await Messages.RedeemAsync(selector, verifier, null, null)).Outcome);
        Assert.Equal(SecureMessageStatus.Expired, (await StoredAsync(soon.Id)).Status);

        _clock.Advance(TimeSpan.FromDays(7));
        var swept = await _host.AsSystemAsync(() => Messages.ExpireDueAsync());

        Assert.Equal(others.Length, swept);
        Assert.All(others, o => Assert.Equal(SecureMessageStatus.Expired, StoredAsync(o.Id).GetAwaiter().GetResult().Status));
        Assert.Equal(SecureMessageStatus.Active, (await StoredAsync(later.Id)).Status);
        await using var db = await _host.OpenDbAsync();
        Assert.Equal(1, await db.SecureMessages.CountAsync(m => m.Ciphertext != null));
        Assert.Equal(others.Length + 1, await db.TicketActivities.CountAsync(a => a.TicketId == _ticket && a.Body!.Contains("expired unviewed")));
    }

    [Fact]
    public async Task MalformedOrUnknownLinks_GetTheSameNeutralAnswer()
    {
        var link = await Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);
        var (otherSelector, otherVerifier) = OneTimeLink.New();

        foreach (var (s, v) in new[] { ("x", verifier), (selector, "short"), (otherSelector, otherVerifier), (selector, otherVerifier), ((string?)null, (string?)null) })
        {
            Assert.Equal(RedeemOutcome.Unavailable, (await Messages.RedeemAsync(s, v, null, null)).Outcome);
        }

        Assert.Equal(0, (await StoredAsync(link.Id)).FailedAttempts);
        Assert.Equal(Content, (await Messages.RedeemAsync(selector, verifier, null, null)).Content);
    }

    [Fact]
    public async Task NeitherContentNorPassphraseNorVerifier_IsStoredInClearOrLogged_BeforeOrAfterViewing()
    {
        var link = await Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content, Passphrase = Passphrase, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);
        Assert.DoesNotContain(verifier, link.ToString(), StringComparison.Ordinal);
        AssertNoCanary(Content, Passphrase, verifier);

        Assert.Equal(Content, (await Messages.RedeemAsync(selector, verifier, Passphrase, "203.0.113.7")).Content);

        AssertNoCanary(Content, Passphrase, verifier);
    }

    private void AssertNoCanary(params string[] canaries)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(_host.Paths.DatabaseDirectory).Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }).ToList();
        foreach (var canary in canaries)
        {
            Assert.DoesNotContain(files, bytes => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(canary)) >= 0 || bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(canary)) >= 0);
            Assert.DoesNotContain(canary, _host.Logs.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WhenSignInIsRequired_OnlyTheSignedInRequesterCanView()
    {
        await _host.AsSystemAsync(async () =>
        {
            await _host.Get<SettingsService>().SaveAsync(new TicketSettings { SecureMessagesEnabled = true, RequirePortalSignIn = true });
            return true;
        });
        var link = await Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);

        _host.Actor.Current = Actor.Anonymous;
        Assert.True((await Messages.PreviewAsync(selector)).SignInRequired);
        Assert.Equal(RedeemOutcome.SignInRequired, (await Messages.RedeemAsync(selector, verifier, null, null)).Outcome);
        await _host.ActAsAsync(await _host.CreatePortalUserAsync(await _host.CreateCustomerAsync("Globex"), "other@globex.example"));
        Assert.Equal(RedeemOutcome.SignInRequired, (await Messages.RedeemAsync(selector, verifier, null, null)).Outcome);

        await _host.ActAsAsync(_requester);
        Assert.False((await Messages.PreviewAsync(selector)).SignInRequired);
        Assert.Equal(Content, (await Messages.RedeemAsync(selector, verifier, null, null)).Content);
    }

    [Fact]
    public async Task AnAgent_RevokesAnUnviewedMessage_AndTheLinkStopsWorking()
    {
        var link = await Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);
        Assert.Equal(SecureMessageStatus.Active, Assert.Single(await Messages.ListForTicketAsync(_ticket)).Status);

        await Messages.RevokeAsync(link.Id);

        Assert.Equal(SecureMessageStatus.Revoked, Assert.Single(await Messages.ListForTicketAsync(_ticket)).Status);
        Assert.Null((await StoredAsync(link.Id)).Ciphertext);
        Assert.Equal(RedeemOutcome.Unavailable, (await Messages.RedeemAsync(selector, verifier, null, null)).Outcome);
        await Assert.ThrowsAsync<ValidationFailedException>(() => Messages.RevokeAsync(link.Id));
    }

    [Fact]
    public async Task OnlyAgentsCreate_OnlyWhenTheSettingIsOn_AndContentIsChecked()
    {
        var tooLong = await Assert.ThrowsAsync<ValidationFailedException>(() => Messages.CreateAsync(_ticket, new SecureMessageInput { Content = new string('x', 10_001), ExpiryDays = 2 }));
        Assert.Equal(["Content", "ExpiryDays"], tooLong.Errors.Keys.Order());
        await _host.AsSystemAsync(async () =>
        {
            await _host.Get<SettingsService>().SaveAsync(new TicketSettings { SecureMessagesEnabled = false });
            return true;
        });
        await Assert.ThrowsAsync<ValidationFailedException>(() => Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content }));

        var customer = await _host.CreateCustomerAsync("Globex");
        await _host.ActAsAsync(await _host.CreatePortalUserAsync(customer, "x@globex.example"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Messages.CreateAsync(_ticket, new SecureMessageInput { Content = Content }));
    }

    private static (string Selector, string Verifier) Split(CreatedSecureMessage link)
    {
        var path = link.Path["/portal/secure/".Length..];
        var parts = path.Split('#');
        return (parts[0], parts[1]);
    }

    private async Task<SecureMessage> StoredAsync(Guid id)
    {
        await using var db = await _host.OpenDbAsync();
        return await db.SecureMessages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();
}
