using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.SecureMessages.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Core.Tickets;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.SecureMessages.Core;

/// <summary>The recipient's side on SQLite and on PostgreSQL: consumed once under concurrency, counted failures, neutral answers.</summary>
public abstract class RedeemSecureMessageCommandTests(ITestDatabaseSource databases) : SecureMessageTestBase(databases)
{
    [Fact]
    public async Task TwentySimultaneousCorrectRequests_ExactlyOneGetsTheContent()
    {
        var link = await Messages.CreateAsync(Ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);

        var results = await Task.WhenAll(
            Enumerable.Range(0, 20).Select(_ => Task.Run(() => Redemption.RedeemAsync(selector, verifier, null, "203.0.113.7")))
        );

        var shown = Assert.Single(results, r => r.Outcome == RedeemOutcome.Shown);
        Assert.Equal(Content, shown.Content);
        Assert.All(results.Where(r => r != shown), r => Assert.Equal(RedeemOutcome.Unavailable, r.Outcome));
        var stored = await StoredAsync(link.Id);
        Assert.Equal((SecureMessageStatus.Viewed, "203.0.113.7"), (stored.Status, stored.ViewedFromIp));
        Assert.Null(stored.Ciphertext);
        Assert.Equal(RedeemOutcome.Unavailable, (await Redemption.RedeemAsync(selector, verifier, null, null)).Outcome);
        var timeline = (await Host.Get<TicketService>().GetAsync(Ticket))
            .Timeline.Where(a => a.Kind == BlazorVault.Core.Tickets.Entities.TicketActivityKind.SecureMessage)
            .Select(a => a.Body)
            .ToList();
        Assert.Equal(2, timeline.Count);
        Assert.Contains("The secure message was viewed from 203.0.113.7; its content is now deleted.", timeline);
        Assert.DoesNotContain(timeline, b => b!.Contains(Content, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwentySimultaneousWrongPassphrases_WithLimitThree_CountExactlyThree_AndDestroyTheContent()
    {
        var link = await CreateWithPassphraseAsync(7);
        var (selector, verifier) = Split(link);

        var results = await Task.WhenAll(
            Enumerable.Range(0, 20).Select(i => Task.Run(() => Redemption.RedeemAsync(selector, verifier, $"wrong-{i}", null)))
        );

        Assert.DoesNotContain(results, r => r.Outcome == RedeemOutcome.Shown);
        var stored = await StoredAsync(link.Id);
        Assert.Equal((3, SecureMessageStatus.Locked), (stored.FailedAttempts, stored.Status));
        Assert.Null(stored.Ciphertext);
        Assert.Equal(RedeemOutcome.Unavailable, (await Redemption.RedeemAsync(selector, verifier, Passphrase, null)).Outcome);
    }

    [Fact]
    public async Task AWrongPassphrase_SaysHowManyAttemptsRemain_AndTheRightOneStillWorks()
    {
        var link = await CreateWithPassphraseAsync(1);
        var (selector, verifier) = Split(link);
        Assert.Equal(new SecureMessagePreview(true, true, 3), await Redemption.PreviewAsync(selector));
        Assert.Equal(RedeemOutcome.PassphraseRequired, (await Redemption.RedeemAsync(selector, verifier, null, null)).Outcome);

        var wrong = await Redemption.RedeemAsync(selector, verifier, "nope", null);

        Assert.Equal((RedeemOutcome.WrongPassphrase, (int?)2), (wrong.Outcome, wrong.AttemptsRemaining));
        Assert.Equal(new SecureMessagePreview(true, true, 2), await Redemption.PreviewAsync(selector));
        Assert.Equal(Content, (await Redemption.RedeemAsync(selector, verifier, Passphrase, null)).Content);
    }

    [Fact]
    public async Task ViewingTheLinkPage_TenTimes_ConsumesNothing()
    {
        var link = await Messages.CreateAsync(Ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(new SecureMessagePreview(true, false, null), await Redemption.PreviewAsync(selector));
        }

        Assert.Equal(Content, (await Redemption.RedeemAsync(selector, verifier, null, null)).Content);
        Assert.Equal(new SecureMessagePreview(false, false, null), await Redemption.PreviewAsync(selector));
    }

    [Fact]
    public async Task MalformedOrUnknownLinks_GetTheSameNeutralAnswer()
    {
        var link = await Messages.CreateAsync(Ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);
        var (otherSelector, otherVerifier) = OneTimeLink.New();

        var links = new[]
        {
            ("x", verifier),
            (selector, "short"),
            (otherSelector, otherVerifier),
            (selector, otherVerifier),
            ((string?)null, (string?)null),
        };
        foreach (var (s, v) in links)
        {
            Assert.Equal(RedeemOutcome.Unavailable, (await Redemption.RedeemAsync(s, v, null, null)).Outcome);
        }

        Assert.Equal(0, (await StoredAsync(link.Id)).FailedAttempts);
        Assert.Equal(Content, (await Redemption.RedeemAsync(selector, verifier, null, null)).Content);
    }

    [Fact]
    public async Task WhenSignInIsRequired_OnlyTheSignedInRequesterCanView()
    {
        await Host.AsSystemAsync(async () =>
        {
            var tickets = await Host.Get<SettingsService>().GetAsync<TicketSettings>();
            tickets.RequirePortalSignIn = true;
            await Host.Get<SettingsService>().SaveAsync(tickets);
            return true;
        });
        var link = await Messages.CreateAsync(Ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);

        Host.Actor.Current = Actor.Anonymous;
        Assert.True((await Redemption.PreviewAsync(selector)).SignInRequired);
        Assert.Equal(RedeemOutcome.SignInRequired, (await Redemption.RedeemAsync(selector, verifier, null, null)).Outcome);
        await Host.ActAsAsync(await Host.CreatePortalUserAsync(await Host.CreateCustomerAsync("Globex"), "other@globex.example"));
        Assert.Equal(RedeemOutcome.SignInRequired, (await Redemption.RedeemAsync(selector, verifier, null, null)).Outcome);

        await Host.ActAsAsync(Requester);
        Assert.False((await Redemption.PreviewAsync(selector)).SignInRequired);
        Assert.Equal(Content, (await Redemption.RedeemAsync(selector, verifier, null, null)).Content);
    }

    public sealed class OnSqlite() : RedeemSecureMessageCommandTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : RedeemSecureMessageCommandTests(postgres);
}
