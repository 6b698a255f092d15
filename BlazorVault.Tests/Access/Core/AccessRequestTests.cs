using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.Core;

/// <summary>
/// Time-boxed access requests: an agent with List asks, an approver decides, the grant works at the reveal until its end and
/// not after, every step is audited, and bad requests and decisions change nothing.
/// </summary>
public abstract class AccessRequestTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string Secret = "Acme-Dc01-S3cret!";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;
    private string _admin = "";
    private string _sam = "";
    private string _lead = "";
    private string _outsider = "";
    private int _acme;
    private int _globex;
    private int _row;
    private int _globexRow;

    private AccessRequestService Requests => _host.Get<AccessRequestService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(time: _clock, databases: databases);
        _admin = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
        _sam = await _host.CreateAgentAsync("sam@example.com");
        _lead = await _host.CreateAgentAsync("lee@example.com");
        _outsider = await _host.CreateAgentAsync("olga@example.com");
        _acme = await _host.CreateCustomerAsync("Acme");
        _globex = await _host.CreateCustomerAsync("Globex");
        await _host.ActAsAsync(_admin);
        var groups = _host.Get<AgentGroupService>();
        await groups.UpdateAsync(
            AgentGroup.BuiltInId,
            new AgentGroupInput { Name = AgentGroup.BuiltInName, OtherTables = AccessLevel.Manage }
        );
        await groups.CreateAsync(Group("Tier 1", [_sam], [_acme], AccessLevel.List, canApprove: false));
        await groups.CreateAsync(Group("Acme leads", [_lead], [_acme], AccessLevel.Reveal, canApprove: true));
        await groups.CreateAsync(Group("Globex leads", [_outsider], [_globex], AccessLevel.Reveal, canApprove: true));
        var vault = _host.Get<CustomerVaultService>();
        _row = await vault.CreateRowAsync(_acme, PasswordsTable, Row("dc01", Secret));
        _globexRow = await vault.CreateRowAsync(_globex, PasswordsTable, Row("gx01", "Globex-S3cret!"));
    }

    [Fact]
    public async Task AnApprovedRequest_LetsTheAgentReveal_UntilItEnds_AndEveryStepIsAudited()
    {
        await _host.ActAsAsync(_sam);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reveal(_row));

        var id = await Requests.RequestAsync(
            _row,
            PasswordField,
            new AccessRequestInput { Reason = "Ticket #42: DC reboot", Minutes = 60 }
        );
        var pending = await CellAsync(_acme, _row);
        var approverNotices = await NoticesAsync(AccessNoticeKind.AccessRequested);
        var emails = await EmailsAsync(OutboxEmailKind.AccessRequested);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Requests.ApproveAsync(id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reveal(_row));

        await _host.ActAsAsync(_lead);
        var toDecide = (await Requests.ListAsync()).ToDecide;
        await Requests.ApproveAsync(id, 15);

        await _host.ActAsAsync(_sam);
        var granted = await CellAsync(_acme, _row);
        var revealed = await Reveal(_row);
        var mine = (await Requests.ListAsync()).Mine.Single();
        _clock.Advance(TimeSpan.FromMinutes(15));
        var ended = await Assert.ThrowsAsync<AccessDeniedException>(() => Reveal(_row));
        var afterEnd = await CellAsync(_acme, _row);
        var recorded = await _host.AsSystemAsync(() => _host.Get<AccessGrantExpirySweep>().RecordExpiredAsync());
        var again = await _host.AsSystemAsync(() => _host.Get<AccessGrantExpirySweep>().RecordExpiredAsync());

        Assert.Equal(new CellAccess(true, null), pending.Access);
        Assert.Equal(["ada", "lee"], approverNotices.Select(n => n.User).Order());
        Assert.All(approverNotices, n => Assert.Contains("Ticket #42: DC reboot", n.Text));
        Assert.Equal(["ada@example.com", "lee@example.com"], emails.Order());
        Assert.Equal([id], toDecide.Select(r => r.Id));
        Assert.Equal("dc01", toDecide[0].RowLabel);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, granted.Access!.GrantedUntil);
        Assert.Equal(Secret, revealed.Value);
        Assert.Equal(AccessRequestState.Active, mine.State);
        Assert.Equal("lee", mine.DeciderName);
        Assert.Equal(1, mine.Uses);
        Assert.Contains("ended", ended.Message);
        Assert.Null(afterEnd.Access);
        Assert.Equal(1, recorded);
        Assert.Equal(0, again);
        Assert.Equal(
            [
                AuditActions.AccessRequested,
                AuditActions.AccessApproved,
                AuditActions.SecretRevealed,
                AuditActions.AccessUsed,
                AuditActions.AccessExpired,
            ],
            await AccessAuditAsync()
        );
        Assert.Equal(1, await NoticeCountAsync(_sam, AccessNoticeKind.AccessDecided));
        Assert.Equal(0, await UnreadAsync(AccessNoticeKind.AccessRequested));
    }

    [Fact]
    public async Task ADeniedRequest_GivesNothing_AndCannotBeDecidedTwice()
    {
        await _host.ActAsAsync(_sam);
        var id = await Requests.RequestAsync(_row, PasswordField, new AccessRequestInput { Reason = "curious", Minutes = 240 });
        await _host.ActAsAsync(_admin);
        await Requests.DenyAsync(id);
        var twice = await Assert.ThrowsAsync<ValidationFailedException>(() => Requests.ApproveAsync(id));

        await _host.ActAsAsync(_sam);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reveal(_row));
        var mine = (await Requests.ListAsync()).Mine.Single();

        Assert.Contains("already denied", twice.Message);
        Assert.Equal(AccessRequestState.Denied, mine.State);
        Assert.Null((await CellAsync(_acme, _row)).Access);
    }

    [Fact]
    public async Task BadRequests_AreRefusedWithAClearMessage_AndChangeNothing()
    {
        await _host.ActAsAsync(_sam);
        var noReason = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Requests.RequestAsync(_row, PasswordField, new AccessRequestInput { Reason = " ", Minutes = 60 })
        );
        var oddDuration = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Requests.RequestAsync(_row, PasswordField, new AccessRequestInput { Reason = "x", Minutes = 30 })
        );
        await Assert.ThrowsAsync<NotFoundException>(() => Requests.RequestAsync(_globexRow, PasswordField, Input()));
        await Assert.ThrowsAsync<NotFoundException>(() => Requests.RequestAsync(999_999, PasswordField, Input()));
        await Assert.ThrowsAsync<NotFoundException>(() => Requests.RequestAsync(_row, UsernameField, Input()));
        await Requests.RequestAsync(_row, PasswordField, Input());
        var twice = await Assert.ThrowsAsync<ValidationFailedException>(() => Requests.RequestAsync(_row, PasswordField, Input()));
        await _host.ActAsAsync(_lead);
        var canReveal = await Assert.ThrowsAsync<ValidationFailedException>(() => Requests.RequestAsync(_row, PasswordField, Input()));

        Assert.True(noReason.Errors.ContainsKey(nameof(AccessRequestInput.Reason)));
        Assert.True(oddDuration.Errors.ContainsKey(nameof(AccessRequestInput.Minutes)));
        Assert.Contains("waiting for an approver", twice.Message);
        Assert.Contains("use the eye", canReveal.Message);
        await using var db = await _host.OpenDbAsync();
        Assert.Equal(1, await db.AccessRequests.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OnlyApproversWhoseGroupsCoverTheCustomer_Decide_AndNotForADeletedPassword()
    {
        await _host.ActAsAsync(_sam);
        var id = await Requests.RequestAsync(_row, PasswordField, Input());

        await _host.ActAsAsync(_outsider);
        var outsiderSees = (await Requests.ListAsync()).ToDecide;
        await Assert.ThrowsAsync<NotFoundException>(() => Requests.ApproveAsync(id));
        await _host.ActAsAsync(_lead);
        var tooLong = await Assert.ThrowsAsync<ValidationFailedException>(() => Requests.ApproveAsync(id, 1440));
        await _host.ActAsAsync(_admin);
        await _host.Get<CustomerVaultService>().DeleteRowAsync(_row);
        var deleted = await Assert.ThrowsAsync<NotFoundException>(() => Requests.ApproveAsync(id));
        await Assert.ThrowsAsync<NotFoundException>(() => Requests.ApproveAsync(999_999));
        var lists = await Requests.ListAsync();

        Assert.Empty(outsiderSees);
        Assert.Contains("at most the 1 hour", tooLong.Message);
        Assert.Contains("deleted", deleted.Message);
        Assert.Equal(AccessRequestState.Pending, lists.ToDecide.Single().State);
        Assert.Equal("(deleted)", lists.ToDecide.Single().RowLabel);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static AccessRequestInput Input() => new() { Reason = "Ticket #7", Minutes = 60 };

    private Task<RevealedSecret> Reveal(int row) => _host.Get<RevealSecretCommand>().RevealAsync(row, PasswordField, RevealKind.Revealed);

    private async Task<SecretCellView> CellAsync(int customer, int row) =>
        (await _host.Get<CustomerVaultService>().ListRowsAsync(customer, PasswordsTable, new VaultRowQuery()))
            .Items.Single(r => r.Id == row)
            .Secrets[PasswordField];

    private async Task<List<(string User, string Text)>> NoticesAsync(AccessNoticeKind kind)
    {
        await using var db = await _host.OpenDbAsync();
        var notices = await db
            .AccessNotices.Where(n => n.Kind == kind)
            .Join(db.Users, n => n.UserId, u => u.Id, (n, u) => new { u.DisplayName, n.Text })
            .ToListAsync(TestContext.Current.CancellationToken);
        return [.. notices.Select(n => (n.DisplayName, n.Text))];
    }

    private async Task<int> NoticeCountAsync(string userId, AccessNoticeKind kind)
    {
        await using var db = await _host.OpenDbAsync();
        return await db.AccessNotices.CountAsync(n => n.UserId == userId && n.Kind == kind, TestContext.Current.CancellationToken);
    }

    private async Task<int> UnreadAsync(AccessNoticeKind kind)
    {
        await using var db = await _host.OpenDbAsync();
        return await db.AccessNotices.CountAsync(n => n.Kind == kind && n.ReadAt == null, TestContext.Current.CancellationToken);
    }

    private async Task<List<string>> EmailsAsync(OutboxEmailKind kind)
    {
        await using var db = await _host.OpenDbAsync();
        return await db.OutboxEmails.Where(e => e.Kind == kind).Select(e => e.ToAddress).ToListAsync(TestContext.Current.CancellationToken);
    }

    private async Task<List<string>> AccessAuditAsync()
    {
        await using var db = await _host.OpenDbAsync();
        return await db
            .AuditEvents.Where(e => e.CustomerId == _acme && (e.Action.StartsWith("access.") || e.Action == AuditActions.SecretRevealed))
            .OrderBy(e => e.Sequence)
            .Select(e => e.Action)
            .ToListAsync(TestContext.Current.CancellationToken);
    }

    private static VaultRowInput Row(string username, string password) =>
        new(new Dictionary<int, string?> { [UsernameField] = username, [PasswordField] = password });

    private static AgentGroupInput Group(string name, List<string> members, List<int> customers, AccessLevel level, bool canApprove) =>
        new()
        {
            Name = name,
            AllCustomers = customers.Count == 0,
            CustomerIds = customers,
            MemberIds = members,
            OtherTables = AccessLevel.None,
            TableLevels = new() { [PasswordsTable] = level },
            CanApprove = canApprove,
        };

    public sealed class OnSqlite() : AccessRequestTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : AccessRequestTests(postgres);
}
