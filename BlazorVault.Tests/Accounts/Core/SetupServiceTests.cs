using System.Buffers.Binary;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorVault.Tests.Accounts.Core;

public abstract class SetupServiceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;

    public async ValueTask InitializeAsync() => _host = await CoreTestHost.StartAsync(databases: databases);

    [Fact]
    public async Task FirstAdmin_CompletesSetup_AndASecondAttemptIsRefused()
    {
        Assert.True(await _host.Get<SetupState>().IsSetupRequiredAsync());

        var id = await _host.Get<SetupService>().CreateFirstAdminAsync(Admin("ada@example.com"));

        Assert.False(await _host.Get<SetupState>().IsSetupRequiredAsync());
        Assert.True((await _host.Get<ActorResolver>().ResolveAsync(id)).IsAdmin);
        var second = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            _host.Get<SetupService>().CreateFirstAdminAsync(Admin("mallory@example.com"))
        );
        Assert.Equal(SetupService.SetupAlreadyCompleted, second.Message);
    }

    [Fact]
    public async Task ConcurrentSetupRequests_CreateExactlyOneAdministrator()
    {
        var setup = _host.Get<SetupService>();

        var results = await Task.WhenAll(
            Enumerable
                .Range(0, 6)
                .Select(i =>
                    Task.Run(async () =>
                    {
                        try
                        {
                            await setup.CreateFirstAdminAsync(Admin($"admin{i}@example.com"));
                            return true;
                        }
                        catch (AccessDeniedException)
                        {
                            return false;
                        }
                    })
                )
        );

        Assert.Equal(1, results.Count(ok => ok));
        await using var db = await _host.OpenDbAsync();
        Assert.Equal(1, await db.Users.CountAsync());
        Assert.Equal(1, await db.InstallationStates.CountAsync());
    }

    [Fact]
    public async Task CommandLineAdmin_CanBeAddedAfterSetup()
    {
        await _host.Get<SetupService>().CreateFirstAdminAsync(Admin("ada@example.com"));

        var id = await _host.Get<SetupService>().CreateAdminAsync(Admin("grace@example.com"));

        Assert.True((await _host.Get<ActorResolver>().ResolveAsync(id)).IsAdmin);
    }

    [Fact]
    public async Task CommandLineAdmin_IsOnlyForTheApplicationItself()
    {
        var agent = await _host.CreateAgentAsync("alex@example.com", isAdmin: true);
        await _host.ActAsAsync(agent);

        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            _host.Get<SetupService>().CreateAdminAsync(Admin("eve@example.com"))
        );

        Assert.Contains("create-admin", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passwords_AreStoredAsPbkdf2Sha512With220000Iterations()
    {
        var id = await _host.Get<SetupService>().CreateFirstAdminAsync(Admin("ada@example.com"));

        await using var db = await _host.OpenDbAsync();
        var hash = Convert.FromBase64String((await db.Users.SingleAsync(u => u.Id == id)).PasswordHash!);

        // Identity v3 format: 0x01, PRF (2 = HMAC-SHA512), iteration count, salt length, salt, subkey.
        Assert.Equal(0x01, hash[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1)));
        Assert.Equal(220_000u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)));
    }

    [Fact]
    public async Task AnOlderHash_IsUpgradedAtTheNextSignIn_WithoutCountingAsANewPassword()
    {
        var id = await _host.Get<SetupService>().CreateFirstAdminAsync(Admin("ada@example.com"));
        var weaker = new PasswordHasher<ApplicationUser>(Options.Create(new PasswordHasherOptions { IterationCount = 100_000 }));
        DateTime? changedAt;
        await using (var db = await _host.OpenDbAsync())
        {
            var user = await db.Users.SingleAsync(u => u.Id == id);
            user.PasswordHash = weaker.HashPassword(user, TestPasswords.Default);
            changedAt = user.PasswordChangedAt;
            await db.SaveChangesAsync();
        }

        await using (var scope = _host.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True(await users.CheckPasswordAsync((await users.FindByIdAsync(id))!, TestPasswords.Default));
        }

        await using var check = await _host.OpenDbAsync();
        var upgraded = await check.Users.SingleAsync(u => u.Id == id);
        Assert.Equal(220_000u, BinaryPrimitives.ReadUInt32BigEndian(Convert.FromBase64String(upgraded.PasswordHash!).AsSpan(5)));
        Assert.Equal(changedAt, upgraded.PasswordChangedAt);
        Assert.Equal(1, await check.PasswordHistory.CountAsync(h => h.UserId == id));
    }

    private static NewAccountInput Admin(string email) =>
        new()
        {
            DisplayName = "Admin",
            Email = email,
            Password = TestPasswords.Default,
        };

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : SetupServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : SetupServiceTests(postgres);
}
