using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Crypto.Models;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Crypto.Core;

/// <summary>Re-wrapping to a new certificate on SQLite and on PostgreSQL: complete, resumable, and safe against writes meanwhile.</summary>
public abstract class KeyRotationTests(ITestDatabaseSource databases) : SeededSecretsTestBase(databases)
{
    [Fact]
    public async Task Rotation_ReWrapsEverything_AndTheOldCertificateThenWrapsNothing()
    {
        var before = await Status.GetOverviewAsync();
        var old = Assert.Single(before.Certificates);
        Assert.Equal((true, SecretCount), (old.IsActive, old.SecretCount));

        var created = await Encryption.GenerateKeyAsync(understandsLoss: true, hasBackupMethod: true, makeActive: true);
        await Encryption.StartRewrapAsync();
        Assert.Equal(SecretRewrapper.JobKey, Host.Scheduler.Triggered[^1]);
        Assert.True((await Status.GetRewrapStatusAsync()).Requested);

        var result = await Host.AsSystemAsync(() => Host.Get<SecretRewrapper>().RunAsync(10, null, CancellationToken.None));

        Assert.Equal(new RewrapResult(SecretCount, 0, 0), result);
        var after = await Status.GetOverviewAsync();
        Assert.Equal(SecretCount, after.Certificates.Single(c => c.Thumbprint == created.Thumbprint).SecretCount);
        Assert.Equal(0, after.Certificates.Single(c => c.Thumbprint == old.Thumbprint).SecretCount);
        Assert.Equal(new RewrapStatus(false, false, SecretCount, SecretCount, 0), after.Rewrap);
        await AssertAllValuesReadableAsync();
    }

    [Fact]
    public async Task ARotationKilledBetweenBatches_ResumesAfterARestart_AndLosesNothing()
    {
        var created = await Encryption.GenerateKeyAsync(true, true, makeActive: true);
        await Encryption.StartRewrapAsync();
        using var kill = new CancellationTokenSource();
        var batches = 0;
        var progress = new SynchronousProgress(_ =>
        {
            if (++batches == 2)
            {
                kill.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Host.AsSystemAsync(() => Host.Get<SecretRewrapper>().RunAsync(10, progress, kill.Token))
        );

        var midway = await Status.GetRewrapStatusAsync();
        Assert.Equal((true, SecretCount, 20), (midway.Requested, midway.Total, midway.WrappedByActive));
        await AssertAllValuesReadableAsync();

        // The next start sees the unfinished request and resumes it.
        Assert.True(await Host.AsSystemAsync(() => Host.Get<EncryptionInitializer>().InitializeAsync()));
        var resumed = await Host.AsSystemAsync(() => Host.Get<SecretRewrapper>().RunAsync(10, null, CancellationToken.None));

        Assert.Equal(new RewrapResult(5, 0, 0), resumed);
        Assert.False(await Host.AsSystemAsync(() => Host.Get<EncryptionInitializer>().InitializeAsync()));
        Assert.Equal(
            SecretCount,
            (await Status.GetOverviewAsync()).Certificates.Single(c => c.Thumbprint == created.Thumbprint).SecretCount
        );
        await AssertAllValuesReadableAsync();
    }

    [Fact]
    public async Task ASecretWrittenWhileTheReWrapRuns_KeepsItsNewValue()
    {
        await Encryption.GenerateKeyAsync(true, true, makeActive: true);
        var written = false;
        var progress = new SynchronousProgress(_ =>
        {
            if (written)
            {
                return;
            }

            // After the first batch is saved, the second is already re-wrapped in memory: change one of its secrets.
            written = true;
            using var db = Host.OpenDbAsync().GetAwaiter().GetResult();
            using var transaction = db.Database.BeginTransaction();
            Host.Get<SecretStore>().WriteAsync(db, Slot(15), "changed meanwhile", CancellationToken.None).GetAwaiter().GetResult();
            transaction.Commit();
        });

        var result = await Host.AsSystemAsync(() => Host.Get<SecretRewrapper>().RunAsync(10, progress, CancellationToken.None));

        Assert.Equal((SecretCount - 1, 0), (result.Rewrapped, result.Remaining));
        Assert.Equal("changed meanwhile", await Host.Get<SecretStore>().ReadAsync(Slot(15), CancellationToken.None));
        for (var i = 0; i < SecretCount; i++)
        {
            if (i != 15)
            {
                Assert.Equal(Value(i), await Host.Get<SecretStore>().ReadAsync(Slot(i), CancellationToken.None));
            }
        }
    }

    [Fact]
    public async Task ACertificateActivatedWhileTheReWrapRuns_EndsUpWrappingEverything_AndTheOtherNothing()
    {
        var first = await Encryption.GenerateKeyAsync(true, true, makeActive: true);
        var second = await Encryption.GenerateKeyAsync(true, true, makeActive: false);
        var switched = false;
        var progress = new SynchronousProgress(_ =>
        {
            if (!switched)
            {
                // The next batch is already wrapped for the first certificate in memory; its commit must not land.
                switched = true;
                Encryption.ActivateAsync(second.Thumbprint).GetAwaiter().GetResult();
            }
        });

        var result = await Host.AsSystemAsync(() => Host.Get<SecretRewrapper>().RunAsync(10, progress, CancellationToken.None));

        Assert.Equal(0, result.Remaining);
        var overview = await Status.GetOverviewAsync();
        Assert.Equal(SecretCount, overview.Certificates.Single(c => c.Thumbprint == second.Thumbprint).SecretCount);
        Assert.Equal(0, overview.Certificates.Single(c => c.Thumbprint == first.Thumbprint).SecretCount);
        await Encryption.RemoveAsync(first.Thumbprint);
        await AssertAllValuesReadableAsync();
    }

    [Fact]
    public async Task ACertificateCannotBeRemovedWhileAReWrapIsUnderWay()
    {
        var old = Assert.Single((await Status.GetOverviewAsync()).Certificates);
        await Encryption.GenerateKeyAsync(true, true, makeActive: true);
        await Host.AsSystemAsync(() => Host.Get<SecretRewrapper>().RunAsync(100, null, CancellationToken.None));
        await Encryption.StartRewrapAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => Encryption.RemoveAsync(old.Thumbprint));

        Assert.Contains("A re-wrap is under way", ex.Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress(Action<RewrapProgress> report) : IProgress<RewrapProgress>
    {
        public void Report(RewrapProgress value) => report(value);
    }

    public sealed class OnSqlite() : KeyRotationTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : KeyRotationTests(postgres);
}
