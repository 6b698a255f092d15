using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Crypto.Entities;
using BlazorVault.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Benchmarks.Crypto;

/// <summary>
/// Re-wrapping 10,000 secrets on a real database (issue budget: within 1.3x of 10,000 x (unwrap + wrap) / 2
/// cores). Each iteration re-wraps everything to the other of two certificates; the per-secret floor (one unwrap and
/// one wrap, single-threaded) is <see cref="SecretDecryptBenchmarks.UnwrapAndWrap"/>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RewrapBenchmarks
{
    private static readonly int Secrets = BenchScale.Of(10_000);

    private BenchHost _host = default!;
    private EncryptionCertificate _first = default!;
    private EncryptionCertificate _second = default!;
    private bool _toSecond;
    private int _stored;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchHost.StartAsync(Path.Combine(Path.GetTempPath(), "blazorvault-bench", Guid.NewGuid().ToString("N")));
        await _host.ActAsNewUserAsync(isAdmin: true);
        var ring = _host.Get<KeyRing>();
        _first = ring.Preferred!;
        _second = KeyRingLoader.Generate(_host.Get<StoragePaths>().KeyDirectory, TimeProvider.System);
        ring.Add(_second);

        await using var db = await _host.Get<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
        var now = DateTime.UtcNow;
        for (var i = 0; i < Secrets; i++)
        {
            var slot = new SecretSlot("bench", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "password");
            var row = new StoredSecret
            {
                Purpose = slot.Purpose,
                EntityId = slot.EntityId,
                FieldId = slot.FieldId,
            };
            row.Apply(SecretCipher.SealString(slot, $"password-{i}", _first), now);
            db.Secrets.Add(row);
        }

        await db.SaveChangesAsync();

        // Everything in the table moves, the secrets the host wrote while starting (a welcome link) included.
        _stored = await db.Secrets.CountAsync();

        await _host.SettleAsync();
    }

    /// <summary>Alternates the target, so every iteration re-wraps every data key.</summary>
    [IterationSetup(Target = nameof(RewrapAllAsync))]
    public void SwitchActive()
    {
        _toSecond = !_toSecond;
        var target = (_toSecond ? _second : _first).Thumbprint;
        using var db = _host.Get<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContext();
        db.EncryptionStates.ExecuteUpdate(s => s.SetProperty(x => x.ActiveThumbprint, target));
    }

    [Benchmark(Description = "Re-wrap 10,000 secrets (batches of 500, all cores)")]
    public async Task<int> RewrapAllAsync()
    {
        var result = await _host.Get<SecretRewrapper>().RunAsync(SecretRewrapper.DefaultBatchSize, null, CancellationToken.None);
        return result.Rewrapped == _stored
            ? result.Rewrapped
            : throw new InvalidOperationException($"Re-wrapped {result.Rewrapped}, expected {_stored}.");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_host.Directory, recursive: true);
    }
}
