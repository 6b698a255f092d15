using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.Core;

/// <summary>
/// The offboarding at-risk report (what an agent revealed that has not changed since), Mark for rotation, the tab's
/// Needs rotation filter and the Home page's list of passwords to rotate.
/// </summary>
public abstract class AtRiskReportTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private CoreTestHost _host = default!;
    private string _admin = "";
    private string _sam = "";
    private int _acme;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(time: _clock, databases: databases);
        _admin = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
        _sam = await _host.CreateAgentAsync("sam@example.com");
        _acme = await _host.CreateCustomerAsync("Acme");
    }

    [Fact]
    public async Task TheReport_ListsWhatTheAgentRevealedOrCopied_UnchangedSince_NotWhatChangedAfterNorOtherAgentsReveals()
    {
        var alex = await _host.CreateAgentAsync("alex@example.com");
        await _host.ActAsAsync(_admin);
        var backup = await CreateRowAsync("svc-backup");
        var firewall = await CreateRowAsync("fw-admin");
        var rotated = await CreateRowAsync("old-vpn");
        var others = await CreateRowAsync("alex-only");
        Tick();
        await RevealAsync(_sam, backup, RevealKind.Revealed);
        await RevealAsync(_sam, firewall, RevealKind.Copied);
        await RevealAsync(_sam, rotated, RevealKind.Revealed);
        await RevealAsync(alex, others, RevealKind.Revealed);
        Tick();
        await _host.ActAsAsync(_admin);
        await SetPasswordAsync(rotated, "N3w-Vpn-Secret!");

        var report = await Report.GetAsync(new AtRiskQuery(_sam));

        Assert.Equal(["fw-admin", "svc-backup"], report.Select(p => p.RowLabel));
        var fw = report[0];
        Assert.Equal(
            ("Acme", "Passwords", "Password", AuditActions.SecretCopied),
            (fw.CustomerName, fw.TableName, fw.FieldLabel, fw.LastAction)
        );
        Assert.Equal(_acme, fw.CustomerId);
        Assert.Equal(Start.AddMinutes(1).UtcDateTime, fw.LastRevealedAt);
        Assert.False(fw.NeedsRotation);
        Assert.Equal(["alex-only"], (await Report.GetAsync(new AtRiskQuery(alex))).Select(p => p.RowLabel));
    }

    [Fact]
    public async Task TheReport_KeepsToTheDateRange_AndALaterRevealOfAChangedPasswordBringsItBack()
    {
        await _host.ActAsAsync(_admin);
        var early = await CreateRowAsync("early");
        var late = await CreateRowAsync("late");
        await RevealAsync(_sam, early, RevealKind.Revealed);
        _clock.Advance(TimeSpan.FromDays(2));
        await RevealAsync(_sam, late, RevealKind.Copied);
        var middle = Start.AddDays(1).UtcDateTime;
        await _host.ActAsAsync(_admin);

        var after = await Report.GetAsync(new AtRiskQuery(_sam, From: middle));
        var before = await Report.GetAsync(new AtRiskQuery(_sam, To: middle));
        await SetPasswordAsync(early, "Ch4nged-Early!");
        var changed = await Report.GetAsync(new AtRiskQuery(_sam));
        Tick();
        await RevealAsync(_sam, early, RevealKind.Revealed);
        await _host.ActAsAsync(_admin);
        var revealedAgain = await Report.GetAsync(new AtRiskQuery(_sam));

        Assert.Equal(["late"], after.Select(p => p.RowLabel));
        Assert.Equal(["early"], before.Select(p => p.RowLabel));
        Assert.Equal(["late"], changed.Select(p => p.RowLabel));
        Assert.Equal(["early", "late"], revealedAgain.Select(p => p.RowLabel));
    }

    [Fact]
    public async Task MarkForRotation_SetsNeedsRotationWithTheReason_Audited_ShownAndFilteredOnTheTab_AndANewValueClearsIt()
    {
        await _host.ActAsAsync(_admin);
        var backup = await CreateRowAsync("svc-backup");
        var firewall = await CreateRowAsync("fw-admin");
        await RevealAsync(_sam, backup, RevealKind.Revealed);
        await _host.ActAsAsync(_admin);
        var heard = 0;
        using var listening = _host
            .Get<BlazorVault.Core.Settings.ISettingsChangeNotifier>()
            .Subscribe(change =>
            {
                heard += change.Section == CustomObjectChanges.Section ? 1 : 0;
                return Task.CompletedTask;
            });

        var marked = await Rotation.MarkAsync([new PasswordCellRef(backup, PasswordField)], "  Sam left the company  ");

        Assert.Equal(1, marked);
        Assert.Equal(1, heard);
        var all = await Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery());
        var cell = all.Items.Single(r => r.Id == backup).Secrets[PasswordField];
        Assert.True(cell.NeedsRotation);
        Assert.Equal("Sam left the company", cell.RotationReason);
        Assert.False(all.Items.Single(r => r.Id == firewall).Secrets[PasswordField].NeedsRotation);
        var filtered = await Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery(NeedsRotation: true));
        Assert.Equal([backup], filtered.Items.Select(r => r.Id));
        Assert.Equal(1, filtered.TotalCount);
        Assert.Empty((await Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery("fw-", NeedsRotation: true))).Items);
        Assert.True((await Report.GetAsync(new AtRiskQuery(_sam))).Single().NeedsRotation);
        await using (var db = await _host.OpenDbAsync())
        {
            var audited = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.RotationRequested);
            Assert.Equal(
                (_admin, backup.ToString(System.Globalization.CultureInfo.InvariantCulture), (int?)_acme),
                (audited.ActorId, audited.TargetId, audited.CustomerId)
            );
            Assert.Contains("Sam left the company", audited.Details, StringComparison.Ordinal);
        }

        Tick();
        await SetPasswordAsync(backup, "Fr3sh-Backup-Value!");

        Assert.False(
            (await Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery()))
                .Items.Single(r => r.Id == backup)
                .Secrets[PasswordField]
                .NeedsRotation
        );
        Assert.Empty((await Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery(NeedsRotation: true))).Items);
        Assert.Empty(await Report.GetAsync(new AtRiskQuery(_sam)));
    }

    [Fact]
    public async Task MarkForRotation_RefusesAgents_AnEmptyOrLongReason_AndUnknownCells_ChangingNothing()
    {
        await _host.ActAsAsync(_admin);
        var backup = await CreateRowAsync("svc-backup");
        var cell = new PasswordCellRef(backup, PasswordField);

        var missing = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Rotation.MarkAsync([cell, new PasswordCellRef(backup + 100, PasswordField)], "Sam left")
        );
        await Assert.ThrowsAsync<ValidationFailedException>(() => Rotation.MarkAsync([new PasswordCellRef(backup, UsernameField)], "x"));
        var empty = await Assert.ThrowsAsync<ValidationFailedException>(() => Rotation.MarkAsync([cell], "   "));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Rotation.MarkAsync([cell], new string('x', 201)));
        await _host.ActAsAsync(_sam);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Rotation.MarkAsync([cell], "Sam left"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Report.GetAsync(new AtRiskQuery(_sam)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Report.CountOffboardedAsync());

        Assert.Contains("nothing was marked", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Reason", empty.Errors.Keys);
        await _host.ActAsAsync(_admin);
        Assert.Empty((await Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery(NeedsRotation: true))).Items);
        await using var db = await _host.OpenDbAsync();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.RotationRequested));
    }

    [Fact]
    public async Task TheHomeList_ShowsPasswordsToRotate_OnlyToAgentsWithEditThereInScope_AndToAdministrators()
    {
        var editor = await _host.CreateAgentAsync("eddie@example.com");
        var revealer = await _host.CreateAgentAsync("rita@example.com");
        var outsider = await _host.CreateAgentAsync("olga@example.com");
        var globex = await _host.CreateCustomerAsync("Globex");
        await _host.ActAsAsync(_admin);
        var groups = _host.Get<AgentGroupService>();
        await groups.UpdateAsync(AgentGroup.BuiltInId, new AgentGroupInput { Name = AgentGroup.BuiltInName });
        await groups.CreateAsync(Group("Acme editors", [editor], [_acme], AccessLevel.Edit));
        await groups.CreateAsync(Group("Acme revealers", [revealer], [_acme], AccessLevel.Reveal));
        await groups.CreateAsync(Group("Globex desk", [outsider], [globex], AccessLevel.Manage));
        var backup = await CreateRowAsync("svc-backup");
        await Rotation.MarkAsync([new PasswordCellRef(backup, PasswordField)], "Break-glass by Sam");

        var forEditor = await DueForAsync(editor);
        var forAdmin = await DueForAsync(_admin);

        var due = Assert.Single(forEditor);
        Assert.Equal(
            (_acme, "Acme", PasswordsTable, "Passwords", backup, "svc-backup", PasswordField, "Password", "Break-glass by Sam", "ada"),
            (
                due.CustomerId,
                due.CustomerName,
                due.TableId,
                due.TableName,
                due.RowId,
                due.RowLabel,
                due.FieldId,
                due.FieldLabel,
                due.Reason,
                due.RequestedBy
            )
        );
        Assert.Single(forAdmin);
        Assert.Empty(await DueForAsync(revealer));
        Assert.Empty(await DueForAsync(outsider));
    }

    [Fact]
    public async Task AgentsTakenOutOfAGroupOrDisabled_AreCountedForConfigurationAgents()
    {
        var alex = await _host.CreateAgentAsync("alex@example.com");
        var kim = await _host.CreateAgentAsync("kim@example.com");
        await _host.ActAsAsync(_admin);
        var groups = _host.Get<AgentGroupService>();
        var tier = await groups.CreateAsync(Group("Tier 2", [_sam, alex, kim], [], AccessLevel.Manage));
        var backup = await CreateRowAsync("svc-backup");
        var firewall = await CreateRowAsync("fw-admin");
        await RevealAsync(_sam, backup, RevealKind.Revealed);
        await RevealAsync(_sam, firewall, RevealKind.Copied);
        await RevealAsync(alex, backup, RevealKind.Revealed);
        await RevealAsync(kim, backup, RevealKind.Revealed);
        await _host.ActAsAsync(_admin);
        var before = await Report.CountOffboardedAsync();

        await groups.UpdateAsync(tier, Group("Tier 2", [alex], [], AccessLevel.Manage));
        await _host.Get<AgentService>().SetEnabledAsync(alex, false);
        var after = await Report.CountOffboardedAsync();

        Assert.Empty(before);
        Assert.Equal(
            new Dictionary<string, int>
            {
                [_sam] = 2,
                [alex] = 1,
                [kim] = 1,
            },
            after
        );
        await using var db = await _host.OpenDbAsync();
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, (await db.Users.SingleAsync(u => u.Id == _sam)).AccessNarrowedAt);
        Assert.Null((await db.Users.SingleAsync(u => u.Id == alex)).AccessNarrowedAt);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private AtRiskReportService Report => _host.Get<AtRiskReportService>();

    private PasswordRotationService Rotation => _host.Get<PasswordRotationService>();

    private CustomerVaultService Vault => _host.Get<CustomerVaultService>();

    private void Tick() => _clock.Advance(TimeSpan.FromMinutes(1));

    private Task<int> CreateRowAsync(string username) =>
        Vault.CreateRowAsync(
            _acme,
            PasswordsTable,
            new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = username, [PasswordField] = $"{username}-S3cret!" })
        );

    private Task SetPasswordAsync(int row, string value) =>
        Vault.UpdateRowAsync(row, new VaultRowInput(new Dictionary<int, string?> { [PasswordField] = value }));

    private async Task RevealAsync(string agent, int row, RevealKind kind)
    {
        await _host.ActAsAsync(agent);
        await _host.Get<RevealSecretCommand>().RevealAsync(row, PasswordField, kind);
    }

    private async Task<IReadOnlyList<RotationDue>> DueForAsync(string agent)
    {
        await _host.ActAsAsync(agent);
        return await Rotation.ListDueAsync();
    }

    private static AgentGroupInput Group(string name, List<string> members, List<int> customers, AccessLevel level) =>
        new()
        {
            Name = name,
            AllCustomers = customers.Count == 0,
            CustomerIds = customers,
            MemberIds = members,
            OtherTables = AccessLevel.None,
            TableLevels = new() { [PasswordsTable] = level },
        };

    public sealed class OnSqlite() : AtRiskReportTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : AtRiskReportTests(postgres);
}
