using BlazorVault.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>
/// What the link and reset tests start from, on SQLite and on PostgreSQL: the customer Acme with its portal user Wile, an agent,
/// and a clock the test moves.
/// </summary>
public abstract class AcmeAccountsTestBase(ITestDatabaseSource databases) : IAsyncLifetime
{
    protected const string Wile = "wile@acme.example";
    protected const string NewPassword = "purple tractor on a quiet hill";

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    protected CoreTestHost Host { get; private set; } = default!;

    protected int Acme { get; private set; }

    protected string WileId { get; private set; } = "";

    protected string AgentId { get; private set; } = "";

    public virtual async ValueTask InitializeAsync()
    {
        Host = await CoreTestHost.StartAsync(time: Clock, databases: databases);
        Acme = await Host.CreateCustomerAsync("Acme");
        WileId = await Host.CreatePortalUserAsync(Acme, Wile);
        AgentId = await Host.CreateAgentAsync("alex@example.com");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
