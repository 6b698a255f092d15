using BenchmarkDotNet.Attributes;
using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;

namespace BlazorVault.Benchmarks.Access;

/// <summary>
/// What agent groups cost (issue budgets): a reveal with the scope and level checks within 1.05x of the same reveal
/// without them (an administrator's, which no group limits: the reveal as it was before groups), measured in this run;
/// the Customers list for an agent scoped to 500 of 10,000 customers under 150 ms; the password tab's first page of
/// 2,000 rows under 20 ms for that agent.
/// </summary>
[MemoryDiagnoser]
public class AccessBenchmarks
{
    private static readonly int Customers = BenchScale.Of(10_000);
    private static readonly int InScope = BenchScale.Of(500);
    private static readonly int Rows = BenchScale.Of(2_000);
    private const int PasswordsTable = 1,
        UsernameField = 3,
        PasswordField = 4;

    private BenchHost _host = default!;
    private RevealSecretCommand _reveal = default!;
    private CustomerVaultService _vault = default!;
    private CustomerService _customers = default!;
    private string _admin = "";
    private string _agent = "";
    private int _customer;
    private int _row;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchHost.StartAsync(Path.Combine(Path.GetTempPath(), "blazorvault-bench", Guid.NewGuid().ToString("N")));
        _admin = await _host.ActAsNewUserAsync(isAdmin: true);
        _agent = await _host.ActAsNewUserAsync(isAdmin: false);
        _host.ActAs(_admin);
        _customers = _host.Get<CustomerService>();
        _vault = _host.Get<CustomerVaultService>();
        _reveal = _host.Get<RevealSecretCommand>();
        await _customers.CreateManyAsync(
            Enumerable.Range(1, Customers).Select(i => new CustomerInput { Name = $"Customer {i:D5} Ltd", Reference = $"C{i:D5}" })
        );

        // Every twentieth customer by name, so the agent's first page is spread through the whole list.
        var all = (await _customers.ListAsync(new CustomerQuery(PageSize: 200))).TotalCount;
        var ids = new List<int>();
        for (var page = 0; page * 200 < all; page++)
        {
            ids.AddRange((await _customers.ListAsync(new CustomerQuery(Page: page, PageSize: 200))).Items.Select(c => c.Id));
        }

        var scope = ids.Where((_, i) => i % (Customers / InScope) == 0).Take(InScope).ToList();
        _customer = scope[0];
        var groups = _host.Get<AgentGroupService>();
        await groups.UpdateAsync(
            AgentGroup.BuiltInId,
            new AgentGroupInput { Name = AgentGroup.BuiltInName, OtherTables = AccessLevel.Manage }
        );
        await groups.CreateAsync(
            new AgentGroupInput
            {
                Name = "Tier 2",
                AllCustomers = false,
                CustomerIds = scope,
                MemberIds = [_agent],
                OtherTables = AccessLevel.None,
                TableLevels = new() { [PasswordsTable] = AccessLevel.Reveal },
            }
        );
        for (var i = 0; i < Rows; i++)
        {
            _row = await _vault.CreateRowAsync(
                _customer,
                PasswordsTable,
                new VaultRowInput(
                    new Dictionary<int, string?>
                    {
                        [UsernameField] = $"user{i:D4}@acme.example",
                        [PasswordField] = $"Password-{i:D4}-with-some-length!",
                    }
                )
            );
        }

        await _host.SettleAsync();
    }

    [Benchmark(Baseline = true, Description = "Reveal, administrator (no group checks: the reveal before groups)")]
    public async Task<int> RevealUncheckedAsync()
    {
        _host.ActAs(_admin);
        return (await _reveal.RevealAsync(_row, PasswordField, RevealKind.Revealed)).Value.Length;
    }

    [Benchmark(Description = "Reveal, agent (scope and level checked in the transaction)")]
    public async Task<int> RevealCheckedAsync()
    {
        _host.ActAs(_agent);
        return (await _reveal.RevealAsync(_row, PasswordField, RevealKind.Revealed)).Value.Length;
    }

    [Benchmark(Description = "Customers first page, agent scoped to 500 of 10,000")]
    public async Task<int> ScopedCustomersAsync()
    {
        _host.ActAs(_agent);
        return (await _customers.ListAsync(new CustomerQuery())).Items.Count;
    }

    [Benchmark(Description = "Password tab first page (25 of 2,000 rows), scoped agent")]
    public async Task<int> ScopedTabAsync()
    {
        _host.ActAs(_agent);
        return (await _vault.ListRowsAsync(_customer, PasswordsTable, new VaultRowQuery())).Items.Count;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_host.Directory, recursive: true);
    }
}
