using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Customers.Core;

public abstract class PortalUserServiceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private int _acme;

    private PortalUserService PortalUsers => _host.Get<PortalUserService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        _acme = await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(await _host.CreateAgentAsync("agent@example.com"));
    }

    [Fact]
    public async Task Create_MakesAPortalUserWhoBelongsToTheCustomerOnly()
    {
        var id = await PortalUsers.CreateAsync(
            _acme,
            new NewAccountInput
            {
                DisplayName = "Wile E. Coyote",
                Email = "wile@acme.example",
                Password = TestPasswords.Default,
            }
        );

        var actor = await _host.Get<ActorResolver>().ResolveAsync(id);
        Assert.True(actor.IsPortalUser);
        Assert.False(actor.IsAgent);
        Assert.Equal(_acme, actor.CustomerId);
        Assert.Equal("Wile E. Coyote", Assert.Single(await PortalUsers.ListAsync(_acme)).DisplayName);
    }

    [Fact]
    public async Task Create_WithAShortPasswordOrTakenEmail_ReportsTheFieldAndCreatesNobody()
    {
        await PortalUsers.CreateAsync(
            _acme,
            new NewAccountInput
            {
                DisplayName = "Wile",
                Email = "wile@acme.example",
                Password = TestPasswords.Default,
            }
        );

        var shortPassword = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            PortalUsers.CreateAsync(
                _acme,
                new NewAccountInput
                {
                    DisplayName = "Road Runner",
                    Email = "beep@acme.example",
                    Password = "short",
                }
            )
        );
        var taken = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            PortalUsers.CreateAsync(
                _acme,
                new NewAccountInput
                {
                    DisplayName = "Other Wile",
                    Email = "WILE@acme.example",
                    Password = TestPasswords.Default,
                }
            )
        );

        Assert.Contains("at least 12 characters", shortPassword.Errors["Password"][0], StringComparison.Ordinal);
        Assert.True(taken.Errors.ContainsKey("Email"));
        Assert.Single(await PortalUsers.ListAsync(_acme));
    }

    [Fact]
    public async Task NewPasswords_FollowTheLivePasswordPolicy()
    {
        await _host.AsSystemAsync(async () =>
        {
            await _host
                .Get<SettingsService>()
                .SaveAsync(
                    new PasswordPolicySettings
                    {
                        MinLength = 16,
                        MaxLength = 64,
                        AllowedAlphabet = "abcdefghijklmnopqrstuvwxyz23456789 ",
                    }
                );
            return true;
        });

        var tooShort = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            PortalUsers.CreateAsync(
                _acme,
                new NewAccountInput
                {
                    DisplayName = "Wile",
                    Email = "wile@acme.example",
                    Password = "fifteen chars ok"[..15],
                }
            )
        );
        var badCharacters = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            PortalUsers.CreateAsync(
                _acme,
                new NewAccountInput
                {
                    DisplayName = "Wile",
                    Email = "wile@acme.example",
                    Password = "Sixteen Chars OK!",
                }
            )
        );
        await PortalUsers.CreateAsync(
            _acme,
            new NewAccountInput
            {
                DisplayName = "Wile",
                Email = "wile@acme.example",
                Password = "a lowercase passphrase",
            }
        );

        Assert.Equal(["Passwords must be at least 16 characters."], tooShort.Errors["Password"]);
        Assert.Contains("allowed characters", badCharacters.Errors["Password"][0], StringComparison.Ordinal);
        Assert.Single(await PortalUsers.ListAsync(_acme));
    }

    [Fact]
    public async Task Disable_TakesAwayAllAccessAtOnce_AndEnableGivesItBack()
    {
        var id = await PortalUsers.CreateAsync(
            _acme,
            new NewAccountInput
            {
                DisplayName = "Wile",
                Email = "wile@acme.example",
                Password = TestPasswords.Default,
            }
        );

        await PortalUsers.SetEnabledAsync(_acme, id, enabled: false);
        Assert.False(Assert.Single(await PortalUsers.ListAsync(_acme)).IsEnabled);
        Assert.Same(Actor.Anonymous, await _host.Get<ActorResolver>().ResolveAsync(id));

        await PortalUsers.SetEnabledAsync(_acme, id, enabled: true);
        Assert.True((await _host.Get<ActorResolver>().ResolveAsync(id)).IsPortalUser);
    }

    [Fact]
    public async Task AUserOfAnotherCustomer_CannotBeChangedThroughThisCustomer()
    {
        var globex = await _host.CreateCustomerAsync("Globex");
        var hank = await _host.CreatePortalUserAsync(globex, "hank@globex.example");

        await Assert.ThrowsAsync<NotFoundException>(() => PortalUsers.SetEnabledAsync(_acme, hank, enabled: false));
        await Assert.ThrowsAsync<NotFoundException>(() =>
            PortalUsers.UpdateAsync(_acme, hank, new AccountDetailsInput { DisplayName = "Hijacked", Email = "x@acme.example" })
        );
    }

    [Fact]
    public async Task PortalUsers_CannotManagePortalUsers()
    {
        await _host.ActAsAsync(await _host.CreatePortalUserAsync(_acme, "wile@acme.example"));

        await Assert.ThrowsAsync<AccessDeniedException>(() => PortalUsers.ListAsync(_acme));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            PortalUsers.CreateAsync(
                _acme,
                new NewAccountInput
                {
                    DisplayName = "Friend",
                    Email = "friend@acme.example",
                    Password = TestPasswords.Default,
                }
            )
        );
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : PortalUserServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : PortalUserServiceTests(postgres);
}
