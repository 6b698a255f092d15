using System.Globalization;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.SecureMessages.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Core.Tickets;
using BlazorVault.Core.Tickets.Models;
using BlazorVault.Tests.Accounts.Core;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Persistence.Core;

/// <summary>
/// The races that SQLite's single writer settles by itself, run with many concurrent writers split across two nodes (two
/// hosts, each with its own services, on one database) on SQLite and on PostgreSQL, where Read Committed settles them only
/// with row locks or conditional updates: each ends exactly as it does with one writer at a time.
/// </summary>
public abstract class TwoNodeRaceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const int Writers = 40;
    private const string Wile = "wile@acme.example";

    /// <summary>How long a writer waits for the others at a meeting point: one that failed before it would never arrive.</summary>
    private static readonly TimeSpan AWriterFailed = TimeSpan.FromMinutes(1);

    private CoreTestHost _first = default!;
    private CoreTestHost _second = default!;
    private string _admin = "";

    public async ValueTask InitializeAsync()
    {
        _first = await CoreTestHost.StartAsync(databases: databases);
        var database = _first.Database;
        _second = CoreTestHost.Create(
            new TestDatabase(database.Provider, database.ConnectionString ?? $"Data Source={_first.DatabaseFile};Foreign Keys=True")
        );
        await _second.InitializeAsync();
        _admin = await _first.CreateAgentAsync("ada@example.com", isAdmin: true);
        await _first.ActAsAsync(_admin);
        await _second.ActAsAsync(_admin);
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AuditedTransactionsThatHoldTheHead_AllCommit_AndTheChainVerifiesWithEveryWriteInIt()
    {
        const int appendsEach = 5;
        long before;
        await using (var db = await _first.OpenDbAsync())
        {
            before = await db.AuditEvents.LongCountAsync();
        }

        // Every writer has its connection open before any begins, so all of them append at once, and again.
        var connected = 0;
        var allConnected = new TaskCompletionSource();
        await RunOnBothNodesAsync(
            async (node, i) =>
            {
                await using var db = await node.OpenDbAsync();
                await db.Database.OpenConnectionAsync();
                if (Interlocked.Increment(ref connected) == Writers)
                {
                    allConnected.SetResult();
                }

                await allConnected.Task.WaitAsync(AWriterFailed);
                for (var n = 0; n < appendsEach; n++)
                {
                    await using var transaction = await db.Database.BeginTransactionAsync();
                    await node.Get<IAuditLog>().AppendAsync(db, new AuditEntry(AuditActions.SettingsChanged, "Writer", $"{Id(i)}-{Id(n)}"));

                    // The rest of the action's work, with the head already moved in this transaction.
                    await Task.Delay(5);
                    await transaction.CommitAsync();
                }
            }
        );

        var total = before + (Writers * appendsEach);
        Assert.Equal($"chain intact ({total} events)", (await _second.Get<AuditVerifier>().VerifyAsync()).ToString());
        await using var check = await _first.OpenDbAsync();
        Assert.Equal(
            Writers * appendsEach,
            await check.AuditEvents.Where(e => e.TargetType == "Writer").Select(e => e.TargetId).Distinct().CountAsync()
        );
        Assert.Equal(total, (await check.AuditChainHeads.AsNoTracking().SingleAsync()).LastSequence);
    }

    [Fact]
    public async Task UsesOfThreeLinksOfOneAccount_SetThePasswordOnce_AndEveryOtherUseIsToldTheLinkIsUsed()
    {
        var customer = await _first.CreateCustomerAsync("Acme");
        var wile = await _first.CreatePortalUserAsync(customer, Wile);
        var links = new List<(string Selector, string Verifier)> { await _first.LinkFromLatestEmailAsync(Wile) };
        for (var i = 0; i < 2; i++)
        {
            await _first.Get<PasswordResetService>().SendResetEmailAsync(wile);
            links.Add(await _first.LinkFromLatestEmailAsync(Wile));
        }

        var outcomes = await RunOnBothNodesAsync(
            (node, i) =>
                Outcome(() =>
                    node.Get<PasswordLinkService>()
                        .CompleteLinkAsync(links[i % 3].Selector, links[i % 3].Verifier, Password(i), Password(i))
                )
        );

        var winner = Assert.Single(Enumerable.Range(0, Writers), i => outcomes[i] is null);
        Assert.All(
            outcomes.Where(o => o is not null),
            o => Assert.Equal("This link has expired or has already been used. Ask for a new one from the sign-in page.", o!.Message)
        );
        Assert.True(await _second.PasswordWorksAsync(Wile, Password(winner)));
        await using var db = await _first.OpenDbAsync();
        var stored = await db.PasswordLinks.AsNoTracking().Where(l => l.UserId == wile).ToListAsync();
        Assert.All(stored, l => Assert.NotNull(l.UsedAt));
        Assert.Single(stored, l => l.PasswordSetAt is not null);
        Assert.Equal(
            1,
            await db.AuditEvents.CountAsync(e =>
                e.TargetId == wile && (e.Action == AuditActions.PasswordReset || e.Action == AuditActions.PasswordSet)
            )
        );
    }

    [Fact]
    public async Task ResetRequestsForOneAccount_IssueExactlyOneLink()
    {
        var customer = await _first.CreateCustomerAsync("Acme");
        var wile = await _first.CreatePortalUserAsync(customer, Wile);

        await RunOnBothNodesAsync((node, _) => node.Get<PasswordResetService>().RequestResetAsync(Wile));

        await using var db = await _first.OpenDbAsync();
        Assert.Equal(1, await db.PasswordLinks.CountAsync(l => l.UserId == wile && l.Purpose == PasswordLinkPurpose.Reset));
        Assert.Equal(
            1,
            await db.OutboxEmails.CountAsync(e =>
                e.UserId == wile && e.Kind == BlazorVault.Core.Notifications.Entities.OutboxEmailKind.PasswordReset
            )
        );
    }

    [Fact]
    public async Task ResetsOfOneAccountsSignIn_AllSucceed_AndOnlyOneOfThemRemovesAnything()
    {
        var agent = await _first.CreateAgentAsync("alex@example.com");
        var scopes = _first.Get<IServiceScopeFactory>();
        await scopes.GiveEverySignInFactorAsync(agent);

        var removed = await RunOnBothNodesAsync((node, _) => node.Get<ResetSignInCommand>().ResetAgentAsync(agent));

        var first = Assert.Single(removed, r => r.TwoFactorEnabled);
        Assert.Equal(
            (true, SignInFactorTestExtensions.RecoveryCodes, 2, 1),
            (first.Authenticator, first.RecoveryCodes, first.Passkeys.Count, first.ExternalLogins.Count)
        );
        Assert.All(removed.Where(r => !ReferenceEquals(r, first)), r => Assert.True(r.IsEmpty));
        Assert.Equal((false, false, 0, 0, 0, false), await scopes.SignInFactorsOfAsync(agent));
        await using var db = await _first.OpenDbAsync();
        Assert.Equal(Writers, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.SignInReset && e.TargetId == agent));
    }

    [Fact]
    public async Task DisablingEitherOfTheLastTwoAdministrators_DisablesExactlyOne_AndRefusesTheRestAsTheLastAdministrator()
    {
        var bob = await _first.CreateAgentAsync("bob@example.com", isAdmin: true);
        var targets = new[] { _admin, bob };
        _first.Actor.Current = Actor.System;
        _second.Actor.Current = Actor.System;

        var outcomes = await RunOnBothNodesAsync(
            (node, i) => Outcome(() => node.Get<AgentService>().SetEnabledAsync(targets[i / 2 % 2], enabled: false))
        );

        // Disabling the one already disabled again passes the guard (the other is enabled); disabling the other never does.
        await using var db = await _first.OpenDbAsync();
        var which = Assert.Single(
            await db.Users.Where(u => targets.Contains(u.Id) && u.DisabledAt != null).Select(u => u.Id).ToListAsync()
        );
        for (var i = 0; i < Writers; i++)
        {
            if (targets[i / 2 % 2] == which)
            {
                Assert.Null(outcomes[i]);
            }
            else
            {
                var refused = Assert.IsType<ValidationFailedException>(outcomes[i]);
                Assert.Equal("You cannot disable the last enabled administrator.", refused.Message);
            }
        }

        Assert.Equal(0, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.UserDisabled && e.TargetId != which));
    }

    [Fact]
    public async Task CorrectRequestsForOneSecureMessage_ShowItExactlyOnce()
    {
        var (selector, verifier, id) = await CreateSecureMessageAsync(passphrase: null);

        var results = await RunOnBothNodesAsync(
            (node, _) => node.Get<RedeemSecureMessageCommand>().RedeemAsync(selector, verifier, null, null)
        );

        Assert.Single(results, r => r.Outcome == RedeemOutcome.Shown);
        Assert.All(results.Where(r => r.Outcome != RedeemOutcome.Shown), r => Assert.Equal(RedeemOutcome.Unavailable, r.Outcome));
        await using var db = await _first.OpenDbAsync();
        Assert.Equal(SecureMessageStatus.Viewed, (await db.SecureMessages.AsNoTracking().SingleAsync(m => m.Id == id)).Status);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.SecureMessageViewed));
    }

    [Fact]
    public async Task WrongPassphrasesForOneSecureMessage_CountExactlyToTheLimit_EachCountOnce()
    {
        const int limit = 10;
        var (selector, verifier, id) = await CreateSecureMessageAsync("the right passphrase", limit);

        var results = await RunOnBothNodesAsync(
            (node, i) => node.Get<RedeemSecureMessageCommand>().RedeemAsync(selector, verifier, $"wrong-{i}", null)
        );

        Assert.Equal(limit - 1, results.Count(r => r.Outcome == RedeemOutcome.WrongPassphrase));
        Assert.Equal(
            Enumerable.Range(1, limit - 1).Select(n => (int?)n),
            results.Where(r => r.Outcome == RedeemOutcome.WrongPassphrase).Select(r => r.AttemptsRemaining).Order()
        );
        await using var db = await _first.OpenDbAsync();
        var stored = await db.SecureMessages.AsNoTracking().SingleAsync(m => m.Id == id);
        Assert.Equal((limit, SecureMessageStatus.Locked), (stored.FailedAttempts, stored.Status));
        Assert.Null(stored.Ciphertext);
        Assert.Equal(
            limit - 1,
            await db.AuditEvents.CountAsync(e => e.Action == AuditActions.SecureMessageFailed && !e.Details!.Contains("afterEnd"))
        );
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.SecureMessageLocked));
    }

    [Fact]
    public async Task SettingsChangesBasedOnOneVersion_OneSucceeds_AndEveryOtherIsRefusedAsAConflict()
    {
        var settings = _first.Get<SettingsService>();
        var email = await settings.GetAsync<EmailSettings>();
        email.SmtpHost = "smtp.example.com";
        await settings.SaveAsync(email, Typed("smtp-password-0"));
        var copies = new[] { await settings.GetAsync<EmailSettings>(), await _second.Get<SettingsService>().GetAsync<EmailSettings>() };
        Assert.Equal(copies[0].Version, copies[1].Version);

        // Half save a new user and password, half remove the password: all based on the same version.
        var outcomes = await RunOnBothNodesAsync(
            (node, i) =>
                Outcome(async () =>
                {
                    var copy = await node.Get<SettingsService>().GetAsync<EmailSettings>();
                    copy.Version = copies[0].Version;
                    if (i % 4 < 2)
                    {
                        copy.SmtpUser = $"user-{i}";
                        await node.Get<SettingsService>().SaveAsync(copy, Typed($"smtp-password-{i}"));
                    }
                    else
                    {
                        await node.Get<SettingsService>().RemoveSecretAsync(copy, EmailSettings.SmtpPasswordName);
                    }
                })
        );

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.IsType<SettingsConflictException>(o));
        await using var db = await _first.OpenDbAsync();
        Assert.Equal(
            copies[0].Version + 1,
            await db.Settings.Where(s => s.Section == SettingsService.KeyOf<EmailSettings>()).Select(s => s.Version).SingleAsync()
        );
    }

    [Fact]
    public async Task SecretsWrittenWhileTheCertificateChanges_AreAllReWrapped_BeforeTheOldOneIsRetired()
    {
        var encryption = _first.Get<EncryptionService>();
        var old = Assert.Single((await _first.Get<EncryptionStatusService>().GetOverviewAsync()).Certificates).Thumbprint;
        var created = await encryption.GenerateKeyAsync(understandsLoss: true, hasBackupMethod: true, makeActive: false);
        foreach (var file in Directory.EnumerateFiles(_first.Paths.KeyDirectory, "*.pfx"))
        {
            File.Copy(file, Path.Combine(_second.Paths.KeyDirectory, Path.GetFileName(file)), overwrite: true);
        }

        _second.Get<KeyRing>().Refresh();

        // Each writer reads the active certificate and seals its secret with it, then holds its transaction open until the
        // certificate change has been started, or has finished when nothing makes it wait for the writers.
        var wrote = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        var writers = RunOnBothNodesAsync(
            async (node, i) =>
            {
                await using var db = await node.OpenDbAsync();
                await using var transaction = await db.Database.BeginTransactionAsync();
                await node.Get<SecretStore>().WriteAsync(db, Slot(i), Id(i), CancellationToken.None);
                wrote.TrySetResult();
                await gate.Task.WaitAsync(AWriterFailed);
                await node.Get<IAuditLog>().AppendAsync(db, new AuditEntry(AuditActions.SettingsChanged, "Writer", Id(i)));
                await transaction.CommitAsync();
            }
        );
        await wrote.Task.WaitAsync(AWriterFailed);
        await Task.Delay(200);
        var change = Task.Run(async () =>
        {
            await encryption.ActivateAsync(created.Thumbprint);
            await encryption.RequestRewrapAsync();
            await _first.Get<SecretRewrapper>().RunAsync(10, null, CancellationToken.None);
            await encryption.RemoveAsync(old);
        });
        await Task.WhenAny(change, Task.Delay(TimeSpan.FromSeconds(2)));
        gate.SetResult();
        await writers;
        await change;

        await using var db = await _first.OpenDbAsync();
        Assert.Equal(0, await db.Secrets.CountAsync(s => s.CertificateThumbprint == old));
        Assert.NotNull((await db.EncryptionKeys.AsNoTracking().SingleAsync(k => k.Thumbprint == old)).RemovedAt);
        for (var i = 0; i < Writers; i++)
        {
            Assert.Equal(Id(i), await _first.Get<SecretStore>().ReadAsync(Slot(i), CancellationToken.None));
        }
    }

    /// <summary>
    /// <see cref="Writers"/> concurrent calls, the even ones on the first node and the odd ones on the second, each on a pool
    /// thread of its own.
    /// </summary>
    private Task<T[]> RunOnBothNodesAsync<T>(Func<CoreTestHost, int, Task<T>> write) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() => write(NodeOf(i), i))));

    private Task RunOnBothNodesAsync(Func<CoreTestHost, int, Task> write) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() => write(NodeOf(i), i))));

    private CoreTestHost NodeOf(int writer) => writer % 2 == 0 ? _first : _second;

    /// <summary>Null when the call succeeded, otherwise what it threw.</summary>
    private static async Task<Exception?> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ex;
        }
    }

    private async Task<(string Selector, string Verifier, Guid Id)> CreateSecureMessageAsync(string? passphrase, int attemptLimit = 3)
    {
        var customer = await _first.CreateCustomerAsync("Acme");
        var requester = await _first.CreatePortalUserAsync(customer, Wile);
        await _first
            .Get<SettingsService>()
            .SaveAsync(new TicketSettings { SecureMessagesEnabled = true, PassphraseAttemptLimit = attemptLimit });
        var ticket = await _first
            .Get<TicketService>()
            .CreateAsync(
                new NewTicketInput
                {
                    CustomerId = customer,
                    RequesterId = requester,
                    Subject = "Wi-Fi",
                    Description = "New password please",
                }
            );
        var link = await _first
            .Get<SecureMessageService>()
            .CreateAsync(
                ticket,
                new SecureMessageInput
                {
                    Content = "secure-canary-content-77a1",
                    Passphrase = passphrase,
                    ExpiryDays = 7,
                }
            );
        var parts = link.Path["/portal/secure/".Length..].Split('#');
        return (parts[0], parts[1], link.Id);
    }

    private static Dictionary<string, string?> Typed(string password) => new() { [EmailSettings.SmtpPasswordName] = password };

    private static SecretSlot Slot(int i) => new("test", $"writer-{Id(i)}", "password");

    private static string Password(int i) => $"purple tractor number {Id(i)} on a quiet hill";

    private static string Id(int i) => i.ToString(CultureInfo.InvariantCulture);

    public sealed class OnSqlite() : TwoNodeRaceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : TwoNodeRaceTests(postgres);
}
