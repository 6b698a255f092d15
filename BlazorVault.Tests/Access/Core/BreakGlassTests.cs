using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.Core;

/// <summary>
/// Break-glass on SQLite and PostgreSQL: an agent who may list a password but not reveal it reveals it in an emergency,
/// audited, every enabled administrator told, the password marked Needs rotation.
/// </summary>
public abstract class BreakGlassTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string Canary = "Canary-BreakGlass-7f3d9c";
    private const string Reason = "Ticket 4711: backups down, on-call admin unreachable";

    private CoreTestHost _host = default!;
    private string _ada = "";
    private string _bob = "";
    private string _gone = "";
    private int _acme;
    private int _globex;
    private int _row;

    private BreakGlassCommand BreakGlass => _host.Get<BreakGlassCommand>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        _ada = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
        _bob = await _host.CreateAgentAsync("bob@example.com", isAdmin: true);
        _gone = await _host.CreateAgentAsync("gone@example.com", isAdmin: true);
        _acme = await _host.CreateCustomerAsync("Acme");
        _globex = await _host.CreateCustomerAsync("Globex");
        await _host.ActAsAsync(_ada);
        await _host.Get<AgentService>().SetEnabledAsync(_gone, false);
        // New agents join the built-in group: here it gives nothing anywhere, so each agent has exactly their own group's level.
        await _host
            .Get<AgentGroupService>()
            .UpdateAsync(
                AgentGroup.BuiltInId,
                new AgentGroupInput
                {
                    Name = AgentGroup.BuiltInName,
                    AllCustomers = false,
                    OtherTables = AccessLevel.None,
                }
            );
        _row = await _host
            .Get<CustomerVaultService>()
            .CreateRowAsync(
                _acme,
                PasswordsTable,
                new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = "svc-backup", [PasswordField] = Canary })
            );
        await AllowBreakGlassAsync(true);
    }

    [Fact]
    public async Task WhenTheSettingIsOff_BreakGlassIsRefused_AndNothingIsRecorded()
    {
        await AllowBreakGlassAsync(false);
        await ActAsAgentWithAsync(AccessLevel.List);

        await Assert.ThrowsAsync<AccessDeniedException>(() => BreakGlass.RevealAsync(_row, PasswordField, Reason, TestPasswords.Default));

        Assert.Equal(0, await CountEventsAsync());
        Assert.Null((await CellAsync()).RotationRequestedAt);
    }

    [Fact]
    public async Task AListAgent_WithTheirPassword_GetsTheValue_Audited_MarkedForRotation_AndEveryEnabledAdminIsToldAtOnce()
    {
        var sam = await ActAsAgentWithAsync(AccessLevel.List);
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            _host.Get<RevealSecretCommand>().RevealAsync(_row, PasswordField, RevealKind.Revealed)
        );
        var emailsBefore = await CountEmailsAsync();

        var revealed = await BreakGlass.RevealAsync(_row, PasswordField, Reason, TestPasswords.Default);

        Assert.Equal((Canary, "sam"), (revealed.Value, revealed.RevealedBy));
        var cell = await CellAsync();
        Assert.Equal(("sam", "sam"), (cell.LastRevealedBy, cell.RotationRequestedBy));
        Assert.NotNull(cell.RotationRequestedAt);
        Assert.Equal("Break-glass reveal by sam", cell.RotationReason);
        var listed = await _host.Get<CustomerVaultService>().ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery());
        Assert.Equal("Break-glass reveal by sam", Assert.Single(listed.Items).Secrets[PasswordField].RotationReason);

        await _host.ActAsAsync(_ada);
        var logged = (await _host.Get<AuditQueryService>().ListAccessLogAsync(_acme, take: 1)).Single();
        Assert.Equal((AuditActions.BreakGlassRevealed, "sam"), (logged.Action, logged.ActorName));
        Assert.Contains(Reason, logged.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, logged.Details, StringComparison.Ordinal);

        await using var db = await _host.OpenDbAsync();
        var notices = await db.AccessNotices.AsNoTracking().OrderBy(n => n.UserId).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(new[] { _ada, _bob }.Order(StringComparer.Ordinal), notices.Select(n => n.UserId));
        Assert.All(notices, n => Assert.Equal((AccessNoticeKind.BreakGlass, $"/customers/{_acme}"), (n.Kind, n.Link)));
        Assert.Contains("sam", notices[0].Text, StringComparison.Ordinal);
        Assert.Contains(Reason, notices[0].Text, StringComparison.Ordinal);
        var emails = await db
            .OutboxEmails.AsNoTracking()
            .Where(e => e.Kind == OutboxEmailKind.BreakGlass)
            .OrderBy(e => e.ToAddress)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["ada@example.com", "bob@example.com"], emails.Select(e => e.ToAddress));
        Assert.All(emails, e => Assert.Equal((sam, OutboxEmailStatus.Queued), (e.UserId, e.Status)));
        Assert.Equal(emailsBefore + 2, await CountEmailsAsync());
        Assert.Contains(EmailDelivery.JobKey, _host.Scheduler.Triggered);
        Assert.DoesNotContain(Canary, _host.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(TestPasswords.Default, _host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPassword_IsRefusedOnThePasswordField_AuditedAsFailed_AndNothingIsRevealedOrMarked()
    {
        var sam = await ActAsAgentWithAsync(AccessLevel.List);
        var emailsBefore = await CountEmailsAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            BreakGlass.RevealAsync(_row, PasswordField, Reason, "not my password")
        );

        Assert.Equal(["CurrentPassword"], ex.Errors.Keys);
        Assert.DoesNotContain(Canary, ex.ToString(), StringComparison.Ordinal);
        var cell = await CellAsync();
        Assert.Equal((null, null), (cell.RotationRequestedAt, cell.LastRevealedAt));
        await using var db = await _host.OpenDbAsync();
        Assert.False(await db.AccessNotices.AnyAsync(TestContext.Current.CancellationToken));
        Assert.Equal(emailsBefore, await CountEmailsAsync());
        Assert.Equal(
            1,
            (await db.Users.AsNoTracking().SingleAsync(u => u.Id == sam, TestContext.Current.CancellationToken)).AccessFailedCount
        );
        await _host.ActAsAsync(_ada);
        var logged = (await _host.Get<AuditQueryService>().ListAccessLogAsync(_acme, take: 1)).Single();
        Assert.Equal((AuditActions.BreakGlassFailed, "sam"), (logged.Action, logged.ActorName));
        Assert.Contains(Reason, logged.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("not my password", _host.Logs.All + logged.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentWithNoLevelOnTheTable_OrOutOfScope_IsToldItIsNotFound_AndNothingIsRecorded()
    {
        await ActAsAgentWithAsync(AccessLevel.None);
        await Assert.ThrowsAsync<NotFoundException>(() => BreakGlass.RevealAsync(_row, PasswordField, Reason, TestPasswords.Default));

        await ActAsAgentWithAsync(AccessLevel.Manage, "olga@example.com", _globex);
        await Assert.ThrowsAsync<NotFoundException>(() => BreakGlass.RevealAsync(_row, PasswordField, Reason, TestPasswords.Default));

        Assert.Equal(0, await CountEventsAsync());
        Assert.Null((await CellAsync()).RotationRequestedAt);
    }

    [Fact]
    public async Task AnAgentWhoMayReveal_IsToldToUseTheEye()
    {
        await ActAsAgentWithAsync(AccessLevel.Reveal);

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            BreakGlass.RevealAsync(_row, PasswordField, Reason, TestPasswords.Default)
        );

        Assert.Contains("use the eye", ex.Message, StringComparison.Ordinal);
        Assert.Null((await CellAsync()).RotationRequestedAt);
    }

    [Fact]
    public async Task AReason_IsRequired_AndAtMost200Characters()
    {
        await ActAsAgentWithAsync(AccessLevel.List);

        var missing = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            BreakGlass.RevealAsync(_row, PasswordField, "  ", TestPasswords.Default)
        );
        var long201 = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            BreakGlass.RevealAsync(_row, PasswordField, new string('x', 201), TestPasswords.Default)
        );

        Assert.Equal(["Reason"], missing.Errors.Keys);
        Assert.Equal(["Reason"], long201.Errors.Keys);
    }

    [Fact]
    public async Task Notices_AreOnlyMyOwn_AndMarkingReadCountsDownForMeAlone()
    {
        await ActAsAgentWithAsync(AccessLevel.List);
        await BreakGlass.RevealAsync(_row, PasswordField, Reason, TestPasswords.Default);
        await BreakGlass.RevealAsync(_row, PasswordField, "Second emergency", TestPasswords.Default);
        var notices = _host.Get<AccessNoticeService>();
        Assert.Equal(0, (await notices.ListMineAsync()).UnreadCount);

        await _host.ActAsAsync(_ada);
        var mine = await notices.ListMineAsync();
        Assert.Equal(2, mine.UnreadCount);
        Assert.Contains("Second emergency", mine.Items[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, (await notices.ListUnreadBreakGlassAsync()).Count);
        await _host.ActAsAsync(_bob);
        var bobs = await notices.ListMineAsync();
        await _host.ActAsAsync(_ada);
        await notices.MarkReadAsync(bobs.Items[0].Id);
        Assert.Equal(2, (await notices.ListMineAsync()).UnreadCount);

        await notices.MarkReadAsync(mine.Items[0].Id);
        var after = await notices.ListMineAsync();
        Assert.Equal(1, after.UnreadCount);
        Assert.Equal([true, false], after.Items.Select(n => n.IsRead));
        Assert.Equal(mine.Items[1].Id, Assert.Single(await notices.ListUnreadBreakGlassAsync()).Id);
        await notices.MarkAllReadAsync();
        Assert.Equal(0, (await notices.ListMineAsync()).UnreadCount);
        Assert.Empty(await notices.ListUnreadBreakGlassAsync());

        await _host.ActAsAsync(_bob);
        Assert.Equal(2, (await notices.ListMineAsync()).UnreadCount);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private async Task AllowBreakGlassAsync(bool allow) =>
        await _host.AsSystemAsync(async () =>
        {
            var vault = await _host.Get<SettingsService>().GetAsync<VaultSettings>();
            vault.AllowBreakGlass = allow;
            await _host.Get<SettingsService>().SaveAsync(vault);
            return true;
        });

    /// <summary>A new agent whose only group covers the customer (Acme unless told) with one level on the Passwords table.</summary>
    private async Task<string> ActAsAgentWithAsync(AccessLevel level, string email = "sam@example.com", int? customer = null)
    {
        var agent = await _host.CreateAgentAsync(email);
        await _host.ActAsAsync(_ada);
        await _host
            .Get<AgentGroupService>()
            .CreateAsync(
                new AgentGroupInput
                {
                    Name = $"Group of {email}",
                    AllCustomers = false,
                    CustomerIds = [customer ?? _acme],
                    MemberIds = [agent],
                    OtherTables = AccessLevel.None,
                    TableLevels = new() { [PasswordsTable] = level },
                }
            );
        await _host.ActAsAsync(agent);
        return agent;
    }

    private async Task<BlazorVault.Core.CustomObjects.Entities.CustomValue> CellAsync()
    {
        await using var db = await _host.OpenDbAsync();
        return await db.CustomValues.AsNoTracking().SingleAsync(v => v.RowId == _row && v.FieldId == PasswordField);
    }

    /// <summary>Break-glass events, succeeded or failed.</summary>
    private async Task<int> CountEventsAsync()
    {
        await using var db = await _host.OpenDbAsync();
        return await db.AuditEvents.CountAsync(e =>
            e.Action == AuditActions.BreakGlassRevealed || e.Action == AuditActions.BreakGlassFailed
        );
    }

    private async Task<int> CountEmailsAsync()
    {
        await using var db = await _host.OpenDbAsync();
        return await db.OutboxEmails.CountAsync();
    }

    public sealed class OnSqlite() : BreakGlassTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : BreakGlassTests(postgres);
}
