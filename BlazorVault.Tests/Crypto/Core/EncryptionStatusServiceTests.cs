using BlazorVault.Core.Crypto;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Crypto.Core;

/// <summary>What the Encryption page and the admin banner report, on SQLite and on PostgreSQL: skipped files, expiry notices.</summary>
public abstract class EncryptionStatusServiceTests(ITestDatabaseSource databases) : SeededSecretsTestBase(databases)
{
    [Fact]
    public async Task AWeakCertificateDroppedIntoTheKeyDirectoryWhileRunning_IsSkippedAndReported()
    {
        TestCertificates.WriteRsaPfx(Host.Paths.KeyDirectory, 2048, "dropped-in");

        var overview = await Status.GetOverviewAsync();

        Assert.Single(overview.Certificates);
        Assert.True(overview.Health.IsHealthy);
        Assert.Contains(
            overview.Warnings,
            w => w.Contains("dropped-in.pfx", StringComparison.Ordinal) && w.Contains("2048-bit", StringComparison.Ordinal)
        );
        Assert.Equal(Value(3), await Host.Get<SecretStore>().ReadAsync(Slot(3), CancellationToken.None));
    }

    [Fact]
    public async Task AnActiveCertificateExpiringWithin30Days_IsAnnouncedToAdministrators()
    {
        Assert.DoesNotContain(await Status.GetNoticesAsync(), n => n.Message.Contains("expires", StringComparison.Ordinal));
        TestCertificates.WriteRsaPfx(Host.Paths.KeyDirectory, 3072, "short-lived", TimeSpan.FromDays(20));
        var shortLived = (await Status.GetOverviewAsync()).Certificates.Single(c =>
            c.Subject.Contains("short-lived", StringComparison.Ordinal)
        );
        Assert.True(shortLived.ExpiresSoon);
        Assert.DoesNotContain(await Status.GetNoticesAsync(), n => n.Message.Contains("expires", StringComparison.Ordinal));

        await Encryption.ActivateAsync(shortLived.Thumbprint);

        var notice = Assert.Single(await Status.GetNoticesAsync(), n => n.Message.Contains("expires", StringComparison.Ordinal));
        Assert.Contains("(20 days)", notice.Message, StringComparison.Ordinal);
        Assert.Contains("Generate a new key and re-wrap", notice.Message, StringComparison.Ordinal);
    }

    public sealed class OnSqlite() : EncryptionStatusServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : EncryptionStatusServiceTests(postgres);
}
