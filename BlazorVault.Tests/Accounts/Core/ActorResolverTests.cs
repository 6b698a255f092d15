using System.Security.Claims;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>The session check behind every Core call: who the cookie's principal is, right now.</summary>
public abstract class ActorResolverTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private string _agent = "";

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        _agent = await _host.CreateAgentAsync("alex@example.com", isAdmin: true);
        await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
    }

    [Fact]
    public async Task FailedSignInsBySomeoneElse_DoNotEndAnOpenSession()
    {
        var session = await SessionAsync(_agent);
        await using (var scope = _host.Get<IServiceScopeFactory>().CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(_agent))!;
            for (var i = 0; i < 5; i++)
            {
                await users.AccessFailedAsync(user);
            }

            Assert.True(await users.IsLockedOutAsync(user));
        }

        Assert.True((await Resolver.ResolveAsync(session)).IsAdmin);
    }

    [Fact]
    public async Task DisablingTheAccount_EndsItsOpenSessionsAtOnce()
    {
        var session = await SessionAsync(_agent);

        await _host.AsSystemAsync(async () =>
        {
            await _host.Get<AgentService>().SetEnabledAsync(_agent, enabled: false);
            return true;
        });

        Assert.Same(Actor.Anonymous, await Resolver.ResolveAsync(session));
        Assert.Same(Actor.Anonymous, await Resolver.ResolveAsync(_agent));
    }

    [Fact]
    public async Task ASessionIssuedBeforeARoleChange_NoLongerActs()
    {
        var session = await SessionAsync(_agent);

        await _host.AsSystemAsync(async () =>
        {
            await _host.Get<AgentService>().SetAdminAsync(_agent, isAdmin: false);
            return true;
        });

        Assert.Same(Actor.Anonymous, await Resolver.ResolveAsync(session));
        var fresh = await Resolver.ResolveAsync(await SessionAsync(_agent));
        Assert.True(fresh.IsAgent);
        Assert.False(fresh.IsAdmin);
    }

    [Fact]
    public async Task APrincipalWithoutAStampOrUser_IsNobody()
    {
        var noStamp = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, _agent)], "Test"));
        var unknown = new ClaimsPrincipal(
            new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "ghost"), new Claim("AspNet.Identity.SecurityStamp", "x")], "Test")
        );

        Assert.Same(Actor.Anonymous, await Resolver.ResolveAsync(noStamp));
        Assert.Same(Actor.Anonymous, await Resolver.ResolveAsync(unknown));
        Assert.Same(Actor.Anonymous, await Resolver.ResolveAsync(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    private ActorResolver Resolver => _host.Get<ActorResolver>();

    /// <summary>The principal a sign-in cookie carries, built by Identity's own factory.</summary>
    private async Task<ClaimsPrincipal> SessionAsync(string userId)
    {
        await using var scope = _host.Get<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>();
        return await factory.CreateAsync((await users.FindByIdAsync(userId))!);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : ActorResolverTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : ActorResolverTests(postgres);
}
