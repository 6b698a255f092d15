using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Tests.Settings.Core;

public abstract class SettingsServiceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;

    private SettingsService Settings => _host.Get<SettingsService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        await _host.ActAsAsync(await _host.CreateAgentAsync("ada@example.com", isAdmin: true));
    }

    [Fact]
    public async Task NeverSavedSections_HaveTheDocumentedDefaults()
    {
        var email = await Settings.GetAsync<EmailSettings>();
        var policy = await Settings.GetAsync<PasswordPolicySettings>();
        var vault = await Settings.GetAsync<VaultSettings>();
        var users = await Settings.GetAsync<UserSettings>();

        Assert.Equal(1, email.LinkValidityDays);
        Assert.Equal("234567892345678923456789abcdefghijkmnopqrstuvwxyz", policy.GeneratorAlphabet);
        Assert.Equal(12, policy.MinLength);
        Assert.Equal((30, false), (vault.RevealSeconds, vault.RequireRevealReason));
        Assert.False(users.PasswordExpiryEnabled);
        Assert.False((await Settings.GetAsync<TicketSettings>()).SecureMessagesEnabled);
    }

    [Fact]
    public async Task InvalidValues_GetAMessagePerField_AndChangeNothing()
    {
        var bad = new PasswordPolicySettings
        {
            MinLength = 4,
            MaxLength = 20,
            HistoryCount = 99,
            GeneratorAlphabet = "abc",
        };

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Settings.SaveAsync(bad));

        Assert.Equal(["GeneratorAlphabet", "HistoryCount", "MaxLength", "MinLength"], error.Errors.Keys.Order());
        Assert.Equal(12, (await Settings.GetAsync<PasswordPolicySettings>()).MinLength);
        await using var db = await _host.OpenDbAsync();
        Assert.Equal(0, await db.Settings.CountAsync());
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.SettingsChanged));
    }

    [Fact]
    public async Task Saving_StoresAuditsOldAndNewValues_AndTellsListeners()
    {
        var heard = new List<string>();
        using var subscription = _host
            .Get<ISettingsChangeNotifier>()
            .Subscribe(change =>
            {
                heard.Add(change.Section);
                return Task.CompletedTask;
            });

        var tickets = await Settings.GetAsync<TicketSettings>();
        tickets.SecureMessagesEnabled = true;
        tickets.PassphraseAttemptLimit = 0;
        await Settings.SaveAsync(tickets);
        await Settings.SaveAsync(tickets);

        var saved = await Settings.GetAsync<TicketSettings>();
        Assert.Equal((true, 0), (saved.SecureMessagesEnabled, saved.PassphraseAttemptLimit));
        Assert.Equal(["tickets"], heard);
        var changed = Assert.Single(
            (await _host.Get<AuditQueryService>().ListAsync(new AuditQuery(Action: AuditActions.SettingsChanged))).Items
        );
        Assert.Equal("tickets", changed.TargetId);
        Assert.Equal("{\"changes\":{\"SecureMessagesEnabled\":[false,true],\"PassphraseAttemptLimit\":[3,0]}}", changed.Details);
    }

    [Fact]
    public async Task BlankTextSettings_BecomeUnset()
    {
        var email = await Settings.GetAsync<EmailSettings>();
        email.SmtpHost = "   ";
        email.FromAddress = " helpdesk@example.com ";
        await Settings.SaveAsync(email);

        var saved = await Settings.GetAsync<EmailSettings>();
        Assert.Null(saved.SmtpHost);
        Assert.Equal("helpdesk@example.com", saved.FromAddress);
    }

    [Fact]
    public async Task AChangeAnnouncedByAnotherNode_IsReadAfresh()
    {
        await Settings.SaveAsync(new VaultSettings { RevealSeconds = 20 });
        Assert.Equal(20, (await Settings.GetAsync<VaultSettings>()).RevealSeconds);

        // Another node saves straight to the shared database, then announces it.
        await using (var db = await _host.OpenDbAsync())
        {
            await db
                .Settings.Where(s => s.Section == "vault")
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Json, "{\"RevealSeconds\":45}").SetProperty(x => x.Version, 2));
        }

        Assert.Equal(20, (await Settings.GetAsync<VaultSettings>()).RevealSeconds);
        await _host.Get<ISettingsChangeNotifier>().PublishAsync(new SettingsChange("vault", 2));
        Assert.Equal(45, (await Settings.GetAsync<VaultSettings>()).RevealSeconds);
    }

    [Fact]
    public async Task AfterANodeMayHaveMissedChanges_EverySectionIsReadAfresh()
    {
        await Settings.SaveAsync(new VaultSettings { RevealSeconds = 20 });
        Assert.Equal(20, (await Settings.GetAsync<VaultSettings>()).RevealSeconds);

        // Another node saved while this one was not listening: its announcement never arrived.
        await using (var db = await _host.OpenDbAsync())
        {
            await db
                .Settings.Where(s => s.Section == "vault")
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Json, "{\"RevealSeconds\":45}").SetProperty(x => x.Version, 2));
        }

        await _host.Get<ISettingsChangeNotifier>().PublishAsync(SettingsChange.Everything);
        var vault = await Settings.GetAsync<VaultSettings>();
        Assert.Equal((45, 2), (vault.RevealSeconds, vault.Version));
    }

    [Fact]
    public async Task TwoAdminsSavingFromTheSameCopy_TheSecondIsRefused_AndNothingIsLost()
    {
        // Twice: once while the section has never been saved (no row yet), once on top of a saved one.
        foreach (var (first, second) in new[] { (20, 40), (25, 50) })
        {
            var ada = await Settings.GetAsync<VaultSettings>();
            var bob = await Settings.GetAsync<VaultSettings>();
            ada.RevealSeconds = first;
            await Settings.SaveAsync(ada);
            bob.RevealSeconds = second;
            bob.RequireRevealReason = true;

            var refused = await Assert.ThrowsAsync<SettingsConflictException>(() => Settings.SaveAsync(bob));

            Assert.Equal("Someone else changed these settings; reload to see their changes", refused.Message);
            var saved = await Settings.GetAsync<VaultSettings>();
            Assert.Equal((first, false), (saved.RevealSeconds, saved.RequireRevealReason));
            await using var db = await _host.OpenDbAsync();
            Assert.DoesNotContain($"\"RevealSeconds\":{second}", (await db.Settings.SingleAsync(s => s.Section == "vault")).Json);
        }

        var audited = (await _host.Get<AuditQueryService>().ListAsync(new AuditQuery(Action: AuditActions.SettingsChanged))).Items;
        Assert.Equal(
            ["{\"changes\":{\"RevealSeconds\":[20,25]}}", "{\"changes\":{\"RevealSeconds\":[30,20]}}"],
            audited.Select(e => e.Details)
        );

        // Reloaded, the second admin's change goes on top of the first's.
        var reloaded = await Settings.GetAsync<VaultSettings>();
        reloaded.RequireRevealReason = true;
        await Settings.SaveAsync(reloaded);
        var last = await Settings.GetAsync<VaultSettings>();
        Assert.Equal((25, true), (last.RevealSeconds, last.RequireRevealReason));
    }

    [Fact]
    public async Task ManySimultaneousSavesFromOneCopy_ExactlyOneWins()
    {
        await Settings.SaveAsync(new VaultSettings { RevealSeconds = 10 });
        var copies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Settings.GetAsync<VaultSettings>()));

        var outcomes = await Task.WhenAll(
            copies.Select(
                async (copy, i) =>
                {
                    copy.RevealSeconds = 100 + i;
                    try
                    {
                        await Task.Run(() => Settings.SaveAsync(copy));
                        return copy.RevealSeconds;
                    }
                    catch (SettingsConflictException)
                    {
                        return 0;
                    }
                }
            )
        );

        var winner = Assert.Single(outcomes, o => o != 0);
        Assert.Equal(winner, (await Settings.GetAsync<VaultSettings>()).RevealSeconds);
    }

    [Fact]
    public async Task OnlyAdministrators_ChangeSettings()
    {
        await _host.ActAsAsync(await _host.CreateAgentAsync("alex@example.com"));

        await Assert.ThrowsAsync<AccessDeniedException>(() => Settings.SaveAsync(new VaultSettings { RevealSeconds = 10 }));
        Assert.Equal(30, (await Settings.GetAsync<VaultSettings>()).RevealSeconds);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : SettingsServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : SettingsServiceTests(postgres);
}
