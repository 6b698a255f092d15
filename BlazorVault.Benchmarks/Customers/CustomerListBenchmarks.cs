using BenchmarkDotNet.Attributes;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Tickets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Benchmarks.Customers;

/// <summary>
/// The server-side work behind the Customers page (issue budget: first page under 150 ms with 10,000 customers):
/// the agent check, the count, and one page with portal-user and open-ticket counts, on a real SQLite file.
/// </summary>
[MemoryDiagnoser]
public class CustomerListBenchmarks
{
    private const int Customers = 10_000;
    private string _directory = "";
    private ServiceProvider _services = default!;
    private AsyncServiceScope _scope;
    private CustomerService _customers = default!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "blazorvault-bench", Guid.NewGuid().ToString("N"));
        var paths = StoragePaths.FromConfiguration(new ConfigurationBuilder().Build(), _directory);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddDataProtection();
        services.AddSingleton(TimeProvider.System);
        services.AddAudit();
        services.AddPersistence(paths).AddAccounts().AddCustomers().AddTickets();
        services.AddSingleton<BenchActor>();
        services.AddSingleton<ICurrentActor>(sp => sp.GetRequiredService<BenchActor>());
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        _scope = _services.CreateAsyncScope();
        var agentId = await _scope.ServiceProvider.GetRequiredService<AgentService>().CreateAsync(
            new BlazorVault.Core.Accounts.Models.NewAccountInput { DisplayName = "Bench Agent", Email = "bench@example.com", Password = "benchmark password 2026" }, isAdmin: false);
        _services.GetRequiredService<BenchActor>().UseAgent(agentId, _scope.ServiceProvider.GetRequiredService<ActorResolver>());
        _customers = _scope.ServiceProvider.GetRequiredService<CustomerService>();
        await _customers.CreateManyAsync(Enumerable.Range(1, Customers).Select(i => new CustomerInput
        {
            Name = $"Customer {i:D5} Ltd",
            Reference = $"C{i:D5}",
            Email = $"info@customer{i}.example",
        }));
    }

    [Benchmark(Baseline = true, Description = "First page (25, by name)")]
    public Task<int> FirstPageAsync() => CountAsync(new CustomerQuery());

    [Benchmark(Description = "Search 'customer 099' (first page)")]
    public Task<int> SearchAsync() => CountAsync(new CustomerQuery("customer 099"));

    [Benchmark(Description = "Last page (25, by name)")]
    public Task<int> LastPageAsync() => CountAsync(new CustomerQuery(Page: (Customers / 25) - 1));

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<int> CountAsync(CustomerQuery query) => (await _customers.ListAsync(query)).Items.Count;

    /// <summary>The system while seeding; afterwards an agent re-read from the database per call, as in the web host.</summary>
    private sealed class BenchActor : ICurrentActor
    {
        private string? _agentId;
        private ActorResolver? _resolver;

        public void UseAgent(string agentId, ActorResolver resolver) => (_agentId, _resolver) = (agentId, resolver);

        public Task<Actor> GetAsync(CancellationToken cancellationToken = default) =>
            _agentId is null ? Task.FromResult(Actor.System) : _resolver!.ResolveAsync(_agentId, cancellationToken);
    }
}
