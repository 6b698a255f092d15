using BlazorVault.Core.Jobs.Entities;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.SecureMessages;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BlazorVault.Tests.Jobs.Web;

/// <summary>
/// Two nodes, each the whole application with its own Quartz scheduler, on one PostgreSQL database: the clustered
/// store runs each firing of the real catalogue's schedules on one node only.
/// </summary>
public sealed class ClusteredJobsTests(PostgresServer postgres) : IAsyncLifetime
{
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
    }

    [Fact]
    public async Task EveryFiringOfTheScheduledJobs_RunsOnExactlyOneNode()
    {
        // Each scheduler starts once its application has, and then checks in as a node of the cluster.
        for (var i = 0; i < 100 && await CountAsync("SELECT count(*) FROM qrtz_scheduler_state") < 2; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal(2, await CountAsync("SELECT count(*) FROM qrtz_scheduler_state"));
        var since = DateTime.UtcNow;

        // The outbox fires at :00 and :30, the expiry at :00: two outbox firings and an expiry one within 65 seconds.
        var runs = new List<JobRun>();
        var deadline = DateTime.UtcNow.AddSeconds(75);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
            runs = await RunsSinceAsync(since);
            if (Firings(runs, EmailDelivery.JobKey).Count >= 2 && Firings(runs, SecureMessageExpirySweep.JobKey).Count >= 1)
            {
                break;
            }
        }

        // A run still recording its end would be counted all the same: wait for the slot's runs to settle.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        runs = await RunsSinceAsync(since);
        var outbox = Firings(runs, EmailDelivery.JobKey);
        var expiry = Firings(runs, SecureMessageExpirySweep.JobKey);
        Assert.True(outbox.Count >= 2, $"outbox firings: {outbox.Count}");
        Assert.True(expiry.Count >= 1, $"expiry firings: {expiry.Count}");
        Assert.All(outbox.Concat(expiry), firing => Assert.Single(firing));
        Assert.All(runs, run => Assert.True(run.Node is "node-a" or "node-b", run.Node));
    }

    public async ValueTask DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        await _database.DisposeAsync();
    }

    private AppFactory Node(string name) =>
        new(settings: new Dictionary<string, string?>(_database.Configuration) { ["Cluster:NodeName"] = name });

    /// <summary>A job's runs grouped by the schedule's slot they belong to (every 30 seconds, and they start within it).</summary>
    private static List<List<JobRun>> Firings(List<JobRun> runs, string jobKey) =>
        [.. runs.Where(r => r.JobKey == jobKey).GroupBy(r => r.StartedAt.Ticks / TimeSpan.FromSeconds(30).Ticks).Select(g => g.ToList())];

    private async Task<List<JobRun>> RunsSinceAsync(DateTime since)
    {
        await using var db = await _nodeA.Services.GetRequiredService<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
        return await db.JobRuns.AsNoTracking().Where(r => r.StartedAt >= since).OrderBy(r => r.Id).ToListAsync();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
