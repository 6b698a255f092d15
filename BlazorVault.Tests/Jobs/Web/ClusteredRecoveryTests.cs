using BlazorVault.Core.Crypto;
using BlazorVault.Core.Crypto.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace BlazorVault.Tests.Jobs.Web;

/// <summary>
/// A re-wrap that node A's scheduler abandons mid-way (shut down without waiting, as a node whose shutdown times out) is
/// handed to node B, which finishes it from the batches A committed. Both nodes share one key folder, as a cluster must.
/// </summary>
public sealed class ClusteredRecoveryTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int SecretCount = 1200;

    private readonly TempDirectory _keys = new();
    private TestDatabase _database = default!;
    private AppFactory _nodeA = default!;
    private AppFactory _nodeB = default!;

    public async ValueTask InitializeAsync()
    {
        _database = await postgres.CreateAsync();
        _nodeA = Node("node-a");
        _nodeA.StartAndGetAddress();
        _nodeB = Node("node-b");
        _nodeB.StartAndGetAddress();
        await _nodeA.WriteSecretsAsync(
            Enumerable.Range(0, SecretCount).Select(i => (new SecretSlot("test", $"row-{i}", "password"), $"value-{i}"))
        );
    }

    [Fact]
    public async Task AReWrapAbandonedByNodeA_IsRecoveredAndFinishedByNodeB()
    {
        var schedulerA = await Scheduler(_nodeA);
        var schedulerB = await Scheduler(_nodeB);
        await schedulerB.Standby();
        var created = await _nodeA.AsSystemAsync<EncryptionService, CertificateView>(e =>
            e.GenerateKeyAsync(understandsLoss: true, hasBackupMethod: true, makeActive: true)
        );
        await _nodeA.AsSystemAsync<EncryptionService, bool>(async e =>
        {
            await e.StartRewrapAsync();
            return true;
        });
        await WaitUntilAsync(async () => await WrappedByAsync(created.Thumbprint) > 0);

        await schedulerB.Start();
        await schedulerA.Shutdown(waitForJobsToComplete: false);

        await WaitUntilAsync(async () =>
            await QueryAsync(db => db.JobRuns.AnyAsync(r => r.JobKey == SecretRewrapper.JobKey && r.Succeeded == true))
        );
        var runs = await QueryAsync(db => db.JobRuns.Where(r => r.JobKey == SecretRewrapper.JobKey).OrderBy(r => r.Id).ToListAsync());
        Assert.Equal(["node-a", "node-b"], runs.Select(r => r.Node));
        Assert.Null(runs[0].FinishedAt);
        Assert.True(runs[1].Succeeded);
        Assert.Equal(SecretCount, await WrappedByAsync(created.Thumbprint));
        var rewrappedByB = int.Parse(runs[1].Message!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(rewrappedByB, 1, SecretCount - 1);
        Assert.Null(await QueryAsync(db => db.EncryptionStates.Select(s => s.RewrapRequestedAt).SingleAsync()));
    }

    public async ValueTask DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        await _database.DisposeAsync();
        _keys.Dispose();
    }

    private AppFactory Node(string name) =>
        new(
            settings: new Dictionary<string, string?>(_database.Configuration)
            {
                ["Cluster:NodeName"] = name,
                ["Storage:KeyDirectory"] = Path.Combine(_keys.Path, "keys"),
            }
        );

    private static async Task<IScheduler> Scheduler(AppFactory node) =>
        await node.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

    private Task<int> WrappedByAsync(string thumbprint) =>
        QueryAsync(db => db.Secrets.CountAsync(s => s.CertificateThumbprint == thumbprint));

    private async Task<T> QueryAsync<T>(Func<BlazorVaultDbContext, Task<T>> query)
    {
        await using var db = await _nodeB.Services.GetRequiredService<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
