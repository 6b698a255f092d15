using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Core.Tickets;
using BlazorVault.Core.Tickets.Models;
using BlazorVault.Tests.Infrastructure;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.Core;

/// <summary>
/// Every operation an agent performs at a customer, for an agent whose only group covers Acme (not Globex) with one level on
/// the Passwords table: allowed, refused (the level is too low) or not found (out of scope, or no level at all), exactly as
/// the levels say. Each test runs every operation at both customers and reports every outcome that differs at once.
/// </summary>
public abstract class AccessMatrixTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string Allowed = "allowed";
    private const string Refused = "refused";
    private const string NotFound = "not found";

    /// <summary>What the Access log needs: Manage on a table of the customer, which is no one table's level.</summary>
    private const AccessLevel CustomerManage = (AccessLevel)100;

    private CoreTestHost _host = default!;
    private string _admin = "";
    private string _agent = "";
    private readonly Dictionary<string, Site> _sites = [];

    public static TheoryData<AccessLevel> Levels =>
        [AccessLevel.None, AccessLevel.List, AccessLevel.Reveal, AccessLevel.Edit, AccessLevel.Manage];

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        _admin = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
        _agent = await _host.CreateAgentAsync("sam@example.com");
        await _host.ActAsAsync(_admin);
        await _host.Get<SettingsService>().SaveAsync(new TicketSettings { SecureMessagesEnabled = true });
        foreach (var name in new[] { "Acme", "Globex" })
        {
            _sites[name] = await CreateSiteAsync(name);
        }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public async Task AnAgentScopedToAcme_WithOneLevelOnPasswords_GetsExactlyWhatThatLevelAllows(AccessLevel level)
    {
        await PlaceTheAgentAsync(level);
        await _host.ActAsAsync(_agent);

        var expected = new List<string>();
        var actual = new List<string>();
        foreach (var (name, site) in _sites)
        {
            var inScope = name == "Acme";
            foreach (var (operation, needs, run) in Operations(site))
            {
                expected.Add($"{name} {operation}: {Expect(inScope, level, needs)}");
                actual.Add($"{name} {operation}: {await OutcomeAsync(run)}");
            }
        }

        Assert.Equal(expected, actual);
        Assert.Equal(
            Refused,
            await OutcomeAsync(async () => await _host.Get<AuditQueryService>().ExportAsync(new AuditQuery()).AnyAsync())
        );
    }

    [Fact]
    public async Task TheBuiltInGroup_GivesEveryAgentWhatTheyHadBeforeGroups()
    {
        await _host.ActAsAsync(_agent);

        foreach (var (name, site) in _sites)
        {
            foreach (var (operation, _, run) in Operations(site))
            {
                Assert.True(await OutcomeAsync(run) == Allowed, $"{name} {operation} was not allowed by All agents");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The operations and the level each needs at a customer in scope (null: being in scope is enough); a delete goes
    /// last, since it removes the row the others use.
    /// </summary>
    private List<(string Operation, AccessLevel? Needs, Func<Task<bool>> Run)> Operations(Site site)
    {
        var customers = _host.Get<CustomerService>();
        var vault = _host.Get<CustomerVaultService>();
        var reveal = _host.Get<RevealSecretCommand>();
        var tickets = _host.Get<TicketService>();
        var messages = _host.Get<SecureMessageService>();
        var audit = _host.Get<AuditQueryService>();
        return
        [
            ("list customers", null, async () => (await customers.ListAsync(new CustomerQuery())).Items.Any(c => c.Id == site.Customer)),
            ("search customers", null, async () => (await customers.SearchOptionsAsync(site.Name)).Any(c => c.Id == site.Customer)),
            ("open customer", null, async () => (await customers.GetAsync(site.Customer)).Id == site.Customer),
            ("see the tab", AccessLevel.List, async () => (await vault.GetTabsAsync(site.Customer)).Any(t => t.TableId == PasswordsTable)),
            (
                "list rows",
                AccessLevel.List,
                async () => (await vault.ListRowsAsync(site.Customer, PasswordsTable, new VaultRowQuery())).TotalCount == 2
            ),
            (
                "search rows",
                AccessLevel.List,
                async () => (await vault.ListRowsAsync(site.Customer, PasswordsTable, new VaultRowQuery("admin@"))).TotalCount == 1
            ),
            (
                "reveal",
                AccessLevel.Reveal,
                async () => (await reveal.RevealAsync(site.Row, PasswordField, RevealKind.Revealed)).Value == site.Password
            ),
            (
                "copy",
                AccessLevel.Reveal,
                async () => (await reveal.RevealAsync(site.Row, PasswordField, RevealKind.Copied)).Value == site.Password
            ),
            (
                "add a row",
                AccessLevel.Edit,
                async () => await vault.CreateRowAsync(site.Customer, PasswordsTable, Row("new@", "N3w-Pass!")) > 0
            ),
            ("edit a row", AccessLevel.Edit, () => Done(vault.UpdateRowAsync(site.Row, Row("admin@", "Ch4nged-Pass!")))),
            ("access log", CustomerManage, async () => (await audit.ListAccessLogAsync(site.Customer)).Count > 0),
            ("list tickets", null, async () => (await tickets.ListAsync(new TicketQuery())).Items.Any(t => t.Id == site.Ticket)),
            ("open ticket", null, async () => (await tickets.GetAsync(site.Ticket)).Id == site.Ticket),
            ("list secure messages", null, async () => (await messages.ListForTicketAsync(site.Ticket)).Any(m => m.Id == site.Message)),
            (
                "create a secure message",
                null,
                async () =>
                    (await messages.CreateAsync(site.Ticket, new SecureMessageInput { Content = "Door code 4711" })).Id != Guid.Empty
            ),
            ("revoke a secure message", null, () => Done(messages.RevokeAsync(site.Message))),
            ("delete a row", AccessLevel.Edit, () => Done(vault.DeleteRowAsync(site.SpareRow))),
        ];
    }

    /// <summary>
    /// Out of scope: not found. In scope: the level decides; no level at all hides the table (not found), while the
    /// customer's Access log is refused below Manage.
    /// </summary>
    private static string Expect(bool inScope, AccessLevel level, AccessLevel? needs) =>
        !inScope ? NotFound
        : needs is null ? Allowed
        : needs == CustomerManage ? (level == AccessLevel.Manage ? Allowed : Refused)
        : level == AccessLevel.None ? NotFound
        : level >= needs ? Allowed
        : Refused;

    private static async Task<string> OutcomeAsync(Func<Task<bool>> run)
    {
        try
        {
            return await run() ? Allowed : NotFound;
        }
        catch (NotFoundException)
        {
            return NotFound;
        }
        catch (AccessDeniedException)
        {
            return Refused;
        }
    }

    private async Task PlaceTheAgentAsync(AccessLevel level)
    {
        var groups = _host.Get<AgentGroupService>();
        var builtIn = await groups.GetAsync(AgentGroup.BuiltInId);
        await groups.UpdateAsync(
            AgentGroup.BuiltInId,
            new AgentGroupInput
            {
                Name = builtIn.Name,
                AllCustomers = true,
                OtherTables = builtIn.OtherTables,
                MemberIds = [.. builtIn.Members.Select(m => m.UserId).Where(id => id != _agent)],
            }
        );
        await groups.CreateAsync(
            new AgentGroupInput
            {
                Name = "Acme technicians",
                AllCustomers = false,
                CustomerIds = [_sites["Acme"].Customer],
                MemberIds = [_agent],
                OtherTables = AccessLevel.None,
                TableLevels = new() { [PasswordsTable] = level },
            }
        );
    }

    private async Task<Site> CreateSiteAsync(string name)
    {
        var customer = await _host.CreateCustomerAsync(name);
        var password = $"{name}-S3cret!";
        var vault = _host.Get<CustomerVaultService>();
        var row = await vault.CreateRowAsync(customer, PasswordsTable, Row("admin@", password));
        var spare = await vault.CreateRowAsync(customer, PasswordsTable, Row("spare@", password));
        await _host.Get<RevealSecretCommand>().RevealAsync(row, PasswordField, RevealKind.Revealed);
        var requester = await _host.CreatePortalUserAsync(customer, $"wile@{name.ToLowerInvariant()}.example");
        await _host.ActAsAsync(_admin);
        var ticket = await _host
            .Get<TicketService>()
            .CreateAsync(
                new NewTicketInput
                {
                    CustomerId = customer,
                    RequesterId = requester,
                    Subject = $"{name} printer",
                    Description = "It jams.",
                }
            );
        var message = await _host.Get<SecureMessageService>().CreateAsync(ticket, new SecureMessageInput { Content = "Wi-Fi key 0815" });
        return new Site(name, customer, row, spare, password, ticket, message.Id);
    }

    private static VaultRowInput Row(string username, string password) =>
        new(new Dictionary<int, string?> { [UsernameField] = username, [PasswordField] = password });

    private static async Task<bool> Done(Task action)
    {
        await action;
        return true;
    }

    private sealed record Site(string Name, int Customer, int Row, int SpareRow, string Password, int Ticket, Guid Message);

    public sealed class OnSqlite() : AccessMatrixTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : AccessMatrixTests(postgres);
}
