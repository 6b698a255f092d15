using BlazorVault.Core.Accounts;
using BlazorVault.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>
/// The lockout of names that cannot sign in follows Identity's settings as the app configures them: locked on the
/// fifth failure for 15 minutes, then counted afresh; one count per name; memory bounded.
/// </summary>
public abstract class DecoyLockoutTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string Nobody = "NOBODY@ACME.EXAMPLE";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;

    private DecoyLockout Lockout => _host.Get<DecoyLockout>();

    public async ValueTask InitializeAsync() => _host = await CoreTestHost.StartAsync(time: _clock, databases: databases);

    [Fact]
    public void AName_IsLockedOutByItsFifthFailure_ForAsLongAsARealAccount_ThenCountedAfresh()
    {
        var lockout = _host.Get<IOptions<IdentityOptions>>().Value.Lockout;

        Assert.Equal([false, false, false, false, true, true], Failures(Nobody, 6));
        _clock.Advance(lockout.DefaultLockoutTimeSpan - TimeSpan.FromSeconds(1));
        Assert.True(Lockout.IsLockedOut(Nobody));
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.False(Lockout.IsLockedOut(Nobody));
        Assert.Equal([false, false, false, false, true], Failures(Nobody, lockout.MaxFailedAccessAttempts));
    }

    [Fact]
    public void EachName_HasItsOwnCount()
    {
        Failures(Nobody, 4);

        Assert.False(Lockout.Fail("SOMEONE.ELSE@ACME.EXAMPLE"));
        Assert.True(Lockout.Fail(Nobody));
    }

    [Fact]
    public void WhenFull_TheNamesFailedLongestAgoAreForgotten_AndARecentCountStays()
    {
        for (var i = 0; i < DecoyLockout.Capacity; i++)
        {
            Lockout.Fail($"SPRAYED-{i}@EXAMPLE.COM");
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        Failures(Nobody, 4);

        Assert.InRange(Lockout.Count, 1, DecoyLockout.Capacity);
        Assert.True(Lockout.Fail(Nobody));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private bool[] Failures(string name, int count) => [.. Enumerable.Range(0, count).Select(_ => Lockout.Fail(name))];

    public sealed class OnSqlite() : DecoyLockoutTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : DecoyLockoutTests(postgres);
}
