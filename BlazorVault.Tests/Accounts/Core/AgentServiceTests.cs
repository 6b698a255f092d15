using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Accounts.Core;

public abstract class AgentServiceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private string _admin = "";

    private AgentService Agents => _host.Get<AgentService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        _admin = await _host.AsSystemAsync(() =>
            _host
                .Get<SetupService>()
                .CreateFirstAdminAsync(
                    new NewAccountInput
                    {
                        DisplayName = "Ada",
                        Email = "ada@example.com",
                        Password = TestPasswords.Default,
                    }
                )
        );
        await _host.ActAsAsync(_admin);
    }

    [Fact]
    public async Task Admin_AddsAnAgent_ThenPromotesAndDemotesThem()
    {
        var id = await Agents.CreateAsync(
            new NewAccountInput
            {
                DisplayName = "Alex",
                Email = "alex@example.com",
                Password = TestPasswords.Default,
            },
            isAdmin: false
        );
        var resolver = _host.Get<ActorResolver>();
        Assert.True((await resolver.ResolveAsync(id)).IsAgent);
        Assert.False((await resolver.ResolveAsync(id)).IsAdmin);

        await Agents.SetAdminAsync(id, isAdmin: true);
        Assert.True((await resolver.ResolveAsync(id)).IsAdmin);

        await Agents.SetAdminAsync(id, isAdmin: false);
        var alex = (await Agents.ListAsync()).Single(a => a.Id == id);
        Assert.False(alex.IsAdmin);
        Assert.True((await resolver.ResolveAsync(id)).IsAgent);
    }

    [Fact]
    public async Task AnAdmin_CannotDemoteOrDisableThemselves()
    {
        var demote = await Assert.ThrowsAsync<ValidationFailedException>(() => Agents.SetAdminAsync(_admin, isAdmin: false));
        var disable = await Assert.ThrowsAsync<ValidationFailedException>(() => Agents.SetEnabledAsync(_admin, enabled: false));

        Assert.Equal("You cannot remove the administrator role from your own account.", demote.Message);
        Assert.Equal("You cannot disable your own account.", disable.Message);
        Assert.True((await _host.Get<ActorResolver>().ResolveAsync(_admin)).IsAdmin);
    }

    [Fact]
    public async Task AgentsWithoutTheAdminRole_CannotManageAgents()
    {
        await _host.ActAsAsync(await _host.CreateAgentAsync("alex@example.com"));

        await Assert.ThrowsAsync<AccessDeniedException>(() => Agents.ListAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Agents.CreateAsync(
                new NewAccountInput
                {
                    DisplayName = "Eve",
                    Email = "eve@example.com",
                    Password = TestPasswords.Default,
                },
                isAdmin: true
            )
        );
        await Assert.ThrowsAsync<AccessDeniedException>(() => Agents.SetAdminAsync(_host.Actor.Current.UserId!, isAdmin: true));
    }

    [Fact]
    public async Task PortalUsers_AreNotAgents_AndCannotBePromotedFromHere()
    {
        var customer = await _host.CreateCustomerAsync("Acme");
        var wile = await _host.CreatePortalUserAsync(customer, "wile@acme.example");

        Assert.DoesNotContain(await Agents.ListAsync(), a => a.Id == wile);
        await Assert.ThrowsAsync<NotFoundException>(() => Agents.SetAdminAsync(wile, isAdmin: true));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : AgentServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : AgentServiceTests(postgres);
}
