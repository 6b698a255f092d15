using BenchmarkDotNet.Attributes;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Benchmarks.CustomObjects;

/// <summary>
/// The customer password tab on a real database with 2,000 rows on one customer (issue budgets: first page under
/// 150 ms of server time; a reveal within 1.3x of decrypting one secret plus one audit insert, measured in this run).
/// </summary>
[MemoryDiagnoser]
public class VaultBenchmarks
{
    private static readonly int Rows = BenchScale.Of(2_000);
    private const int PasswordsTable = 1,
        UsernameField = 3,
        PasswordField = 4;

    private BenchHost _host = default!;
    private CustomerVaultService _vault = default!;
    private RevealSecretCommand _reveal = default!;
    private int _customer;
    private int _row;
    private SealedSecret _sealed = default!;
    private SecretSlot _slot;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchHost.StartAsync(Path.Combine(Path.GetTempPath(), "blazorvault-bench", Guid.NewGuid().ToString("N")));
        _customer = await _host.Get<CustomerService>().CreateAsync(new CustomerInput { Name = "Acme" });
        await _host.ActAsNewUserAsync(isAdmin: false);
        _vault = _host.Get<CustomerVaultService>();
        _reveal = _host.Get<RevealSecretCommand>();
        for (var i = 0; i < Rows; i++)
        {
            _row = await _vault.CreateRowAsync(
                _customer,
                PasswordsTable,
                new VaultRowInput(
                    new Dictionary<int, string?>
                    {
                        [1] = "Email",
                        [UsernameField] = $"user{i:D4}@acme.example",
                        [PasswordField] = $"Password-{i:D4}-with-some-length!",
                        [5] = $"https://app{i}.acme.example",
                        [6] = $"Notes for account {i}",
                    }
                )
            );
        }

        _slot = CustomValue.SecretSlotOf(_row, PasswordField);
        await using var db = await _host.Get<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
        var entity = _row.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stored = await db.Secrets.AsNoTracking().SingleAsync(s => s.EntityId == entity && s.FieldId == "4");
        _sealed = new SealedSecret(
            stored.FormatVersion,
            stored.Ciphertext,
            stored.Nonce,
            stored.Tag,
            stored.WrappedKey,
            stored.CertificateThumbprint
        );

        await _host.SettleAsync();
    }

    [Benchmark(Description = "Tab first page (25 of 2,000 rows)")]
    public async Task<int> FirstPageAsync() => (await _vault.ListRowsAsync(_customer, PasswordsTable, new VaultRowQuery())).Items.Count;

    [Benchmark(Description = "Tab sorted by Username, page 40")]
    public async Task<int> SortedPageAsync() =>
        (await _vault.ListRowsAsync(_customer, PasswordsTable, new VaultRowQuery(SortFieldId: UsernameField, Page: 40))).Items.Count;

    [Benchmark(Description = "Tab search 'user19'")]
    public async Task<int> SearchAsync() =>
        (await _vault.ListRowsAsync(_customer, PasswordsTable, new VaultRowQuery(Search: "user19"))).Items.Count;

    [Benchmark(Baseline = true, Description = "Floor: decrypt one secret + one audit insert")]
    public async Task<int> FloorAsync()
    {
        await _host.Get<IAuditLog>().WriteAsync(new AuditEntry(AuditActions.SecretRevealed, "CustomRow", "bench", _customer));
        return _host.Get<SecretCipher>().OpenString(_slot, _sealed).Length;
    }

    [Benchmark(Description = "Reveal (checks, audit first, decrypt)")]
    public async Task<int> RevealAsync() => (await _reveal.RevealAsync(_row, PasswordField, RevealKind.Revealed)).Value.Length;

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_host.Directory, recursive: true);
    }
}
