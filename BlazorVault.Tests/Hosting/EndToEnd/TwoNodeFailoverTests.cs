using BlazorVault.Core.Crypto;
using BlazorVault.Core.Crypto.Entities;
using BlazorVault.Core.Jobs.Entities;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Tests.Hosting.EndToEnd;

/// <summary>
/// The node running a re-wrap of 5,000 secrets is killed (SIGKILL) mid-way: the other node recovers the job from the
/// clustered job store and finishes it from the last committed batch, and every secret still decrypts to its value.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class TwoNodeFailoverTests(BrowserFixture browser, PostgresServer postgres) : IAsyncLifetime
{
    private const int SecretCount = 5000;

    private TwoNodeCluster _cluster = default!;

    public async ValueTask InitializeAsync()
    {
        _cluster = await TwoNodeCluster.StartAsync(postgres);
        var core = _cluster.Core;
        await _cluster.CreateAdminAsync("ada@example.com");
        var store = core.Get<SecretStore>();
        await using var db = await core.OpenDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        for (var i = 0; i < SecretCount; i++)
        {
            await store.StageAsync(db, Slot(i), Value(i), CancellationToken.None);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task KillingTheNodeThatRewraps_LetsTheOtherNodeFinish_AndEverySecretDecrypts()
    {
        await using (var admin = await _cluster.OpenBrowserAsync(browser, _cluster.NodeA))
        {
            await admin.SignInAsync("ada@example.com");
            await admin.GotoAsync("/config/encryption");
            await admin.Page.Locator("#generate-key").ClickAsync();
            await admin.Page.GetByText(EncryptionService.LossAcknowledgement).ClickAsync();
            await admin.Page.GetByText(EncryptionService.BackupAcknowledgement).ClickAsync();
            await admin.Page.Locator("#confirm-key").ClickAsync();
            await Microsoft.Playwright.Assertions.Expect(admin.Page.Locator("tr[data-certificate]")).ToHaveCountAsync(2);
            await admin.Page.Locator("#start-rewrap").ClickAsync();
        }

        var active = await ActiveThumbprintAsync();
        var (running, done) = await WaitForProgressAsync(active);
        var victim = running == "node-a" ? _cluster.NodeA : _cluster.NodeB;
        await victim.KillAsync();
        var survivor = victim == _cluster.NodeA ? "node-b" : "node-a";

        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await CountWrappedByAsync(active) < SecretCount)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the re-wrap stopped at {await CountWrappedByAsync(active)} of {SecretCount}");
            await Task.Delay(250);
        }

        // The survivor's run ends (and is recorded) just after its last batch commits.
        var runs = await RewrapRunsAsync();
        while (!runs.Any(r => r.Node == survivor && r.Succeeded == true))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no run of {survivor} finished: {string.Join(", ", runs.Select(r => r.Node))}");
            await Task.Delay(250);
            runs = await RewrapRunsAsync();
        }

        Assert.Equal((running, (bool?)null), (runs[0].Node, runs[0].Succeeded));
        var store = _cluster.Core.Get<SecretStore>();
        for (var i = 0; i < SecretCount; i++)
        {
            Assert.Equal(Value(i), await store.ReadAsync(Slot(i), CancellationToken.None));
        }

        Assert.InRange(done, 1, SecretCount - 1);
    }

    /// <summary>Which node runs the re-wrap, once it has committed a batch and is not finished.</summary>
    private async Task<(string Node, int Done)> WaitForProgressAsync(string active)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var done = await CountWrappedByAsync(active);
            if (done is > 0 and < SecretCount)
            {
                await using var db = await _cluster.Core.OpenDbAsync();
                var node = await db
                    .JobRuns.Where(r => r.JobKey == SecretRewrapper.JobKey && r.FinishedAt == null)
                    .Select(r => r.Node)
                    .SingleOrDefaultAsync();
                if (node is not null)
                {
                    return (node, done);
                }
            }

            Assert.True(done < SecretCount, "the re-wrap finished before a node could be killed");
            await Task.Delay(20);
        }

        throw new TimeoutException("The re-wrap did not start within 60 s.");
    }

    private async Task<List<JobRun>> RewrapRunsAsync()
    {
        await using var db = await _cluster.Core.OpenDbAsync();
        return await db.JobRuns.Where(r => r.JobKey == SecretRewrapper.JobKey).OrderBy(r => r.Id).ToListAsync();
    }

    private async Task<string> ActiveThumbprintAsync()
    {
        await using var db = await _cluster.Core.OpenDbAsync();
        return (await db.EncryptionStates.SingleAsync()).ActiveThumbprint!;
    }

    private async Task<int> CountWrappedByAsync(string thumbprint)
    {
        await using var db = await _cluster.Core.OpenDbAsync();
        return await db.Set<StoredSecret>().CountAsync(s => s.CertificateThumbprint == thumbprint && s.Purpose == "failover-test");
    }

    private static SecretSlot Slot(int i) => new("failover-test", $"{i}", "value");

    private static string Value(int i) => $"failover canary {i}";

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();
}
