using BenchmarkDotNet.Attributes;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;

namespace BlazorVault.Benchmarks.Customers;

/// <summary>
/// The server-side work behind the Customers page (issue budget: first page under 150 ms with 10,000 customers):
/// the agent check, the count, and one page with portal-user and open-ticket counts, on a real database (BenchHost).
/// </summary>
[MemoryDiagnoser]
public class CustomerListBenchmarks
{
    private static readonly int Customers = BenchScale.Of(10_000);
    private BenchHost _host = default!;
    private CustomerService _customers = default!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchHost.StartAsync(Path.Combine(Path.GetTempPath(), "blazorvault-bench", Guid.NewGuid().ToString("N")));
        await _host.ActAsNewUserAsync(isAdmin: false);
        _customers = _host.Get<CustomerService>();
        await _customers.CreateManyAsync(
            Enumerable
                .Range(1, Customers)
                .Select(i => new CustomerInput
                {
                    Name = $"Customer {i:D5} Ltd",
                    Reference = $"C{i:D5}",
                    Email = $"info@customer{i}.example",
                })
        );

        await _host.SettleAsync();
    }

    [Benchmark(Baseline = true, Description = "First page (25, by name)")]
    public Task<int> FirstPageAsync() => CountAsync(new CustomerQuery());

    [Benchmark(Description = "Search 'customer 099' (first page)")]
    public Task<int> SearchAsync() => CountAsync(new CustomerQuery("customer 099"));

    [Benchmark(Description = "Last page (25, by name)")]
    public Task<int> LastPageAsync() => CountAsync(new CustomerQuery(Page: (Customers - 1) / 25));

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_host.Directory, recursive: true);
    }

    private async Task<int> CountAsync(CustomerQuery query) => (await _customers.ListAsync(query)).Items.Count;
}
