using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Tests.Infrastructure;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.Core;

/// <summary>"Who can see this" on a password row: the groups that give Reveal there, their enabled members, the administrators.</summary>
public abstract class RowAccessTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;

    public async ValueTask InitializeAsync() => _host = await CoreTestHost.StartAsync(databases: databases);

    [Fact]
    public async Task ARow_NamesTheGroupsAndEnabledPeopleWhoCanRevealIt_AndItsLastReveal_ButNotToAnAgentOutOfScope()
    {
        var admin = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
        var sam = await _host.CreateAgentAsync("sam@example.com");
        var alex = await _host.CreateAgentAsync("alex@example.com");
        var gone = await _host.CreateAgentAsync("gone@example.com");
        var outsider = await _host.CreateAgentAsync("olga@example.com");
        var acme = await _host.CreateCustomerAsync("Acme");
        var globex = await _host.CreateCustomerAsync("Globex");
        await _host.ActAsAsync(admin);
        var groups = _host.Get<AgentGroupService>();
        await groups.UpdateAsync(
            AgentGroup.BuiltInId,
            new AgentGroupInput { Name = AgentGroup.BuiltInName, OtherTables = AccessLevel.Manage }
        );
        await groups.CreateAsync(Group("Tier 1", [sam], [acme], AccessLevel.List));
        await groups.CreateAsync(Group("Senior technicians", [alex, gone], [], AccessLevel.Reveal));
        await groups.CreateAsync(Group("Globex desk", [outsider], [globex], AccessLevel.Manage));
        await _host.Get<AgentService>().SetEnabledAsync(gone, false);
        var row = await _host
            .Get<CustomerVaultService>()
            .CreateRowAsync(acme, PasswordsTable, new VaultRowInput(new Dictionary<int, string?> { [PasswordField] = "Acme-S3cret!" }));
        var never = await _host.Get<CustomerVaultService>().GetRowAccessAsync(row);
        await _host.Get<RevealSecretCommand>().RevealAsync(row, PasswordField, RevealKind.Revealed);

        await _host.ActAsAsync(sam);
        var access = await _host.Get<CustomerVaultService>().GetRowAccessAsync(row);

        Assert.Null(never.LastRevealedAt);
        Assert.Equal([AgentGroup.BuiltInName, "Senior technicians"], access.Groups);
        Assert.Equal(["alex"], access.Agents);
        Assert.Equal(["ada"], access.Administrators);
        Assert.Equal("ada", access.LastRevealedBy);
        Assert.NotNull(access.LastRevealedAt);
        await _host.ActAsAsync(outsider);
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<CustomerVaultService>().GetRowAccessAsync(row));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
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

    public sealed class OnSqlite() : RowAccessTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : RowAccessTests(postgres);
}
