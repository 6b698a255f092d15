using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Crypto.Core;

/// <summary>The Encryption page's key operations on SQLite and on PostgreSQL: generate, activate, remove, audit, admins only.</summary>
public abstract class EncryptionServiceTests(ITestDatabaseSource databases) : SeededSecretsTestBase(databases)
{
    [Fact]
    public async Task AKeyIsGeneratedOnlyAfterBothAcknowledgements()
    {
        var files = Directory.GetFiles(Host.Paths.KeyDirectory, "*.pfx").Length;

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Encryption.GenerateKeyAsync(understandsLoss: true, hasBackupMethod: false, makeActive: true)
        );

        Assert.Equal(["HasBackupMethod"], ex.Errors.Keys);
        Assert.Equal(files, Directory.GetFiles(Host.Paths.KeyDirectory, "*.pfx").Length);
    }

    [Fact]
    public async Task MakeActive_SendsNewWritesToThatCertificate_AndOldSecretsStillRead()
    {
        var old = Assert.Single((await Status.GetOverviewAsync()).Certificates);
        var created = await Encryption.GenerateKeyAsync(true, true, makeActive: false);
        Assert.False(created.IsActive);

        await Encryption.ActivateAsync(created.Thumbprint);
        await using (var db = await Host.OpenDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await Host.Get<SecretStore>().WriteAsync(db, Slot(0), "rewritten", CancellationToken.None);
            await transaction.CommitAsync();
        }

        var overview = await Status.GetOverviewAsync();
        Assert.Equal(
            (1, SecretCount - 1),
            (
                overview.Certificates.Single(c => c.IsActive).SecretCount,
                overview.Certificates.Single(c => c.Thumbprint == old.Thumbprint).SecretCount
            )
        );
        Assert.Equal("rewritten", await Host.Get<SecretStore>().ReadAsync(Slot(0), CancellationToken.None));
        Assert.Equal(Value(1), await Host.Get<SecretStore>().ReadAsync(Slot(1), CancellationToken.None));
    }

    [Fact]
    public async Task ACertificateThatStillWrapsSecrets_CannotBeRemoved_UntilReWrapped()
    {
        var old = Assert.Single((await Status.GetOverviewAsync()).Certificates);
        var activeRefused = await Assert.ThrowsAsync<ValidationFailedException>(() => Encryption.RemoveAsync(old.Thumbprint));
        Assert.Contains("active certificate", activeRefused.Message, StringComparison.Ordinal);

        await Encryption.GenerateKeyAsync(true, true, makeActive: true);
        var wrapsRefused = await Assert.ThrowsAsync<ValidationFailedException>(() => Encryption.RemoveAsync(old.Thumbprint));
        Assert.Contains($"still wraps {SecretCount} secret(s)", wrapsRefused.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(old.Location!));

        await Host.AsSystemAsync(() => Host.Get<SecretRewrapper>().RunAsync(100, null, CancellationToken.None));
        await Encryption.RemoveAsync(old.Thumbprint);

        Assert.False(File.Exists(old.Location!));
        Assert.True(File.Exists(Path.Combine(Host.Paths.KeyDirectory, KeyRingLoader.RetiredFolderName, Path.GetFileName(old.Location!))));
        Assert.DoesNotContain((await Status.GetOverviewAsync()).Certificates, c => c.Thumbprint == old.Thumbprint);
        await AssertAllValuesReadableAsync();
    }

    [Fact]
    public async Task EveryKeyOperation_IsAudited()
    {
        var old = Assert.Single((await Status.GetOverviewAsync()).Certificates);
        var created = await Encryption.GenerateKeyAsync(true, true, makeActive: true);
        await Encryption.StartRewrapAsync();
        await Host.AsSystemAsync(() => Host.Get<SecretRewrapper>().RunAsync(100, null, CancellationToken.None));
        await Encryption.RemoveAsync(old.Thumbprint);

        var events = (await Host.Get<AuditQueryService>().ListAsync(new AuditQuery(PageSize: 50)))
            .Items.Where(e => e.Action.StartsWith("key.", StringComparison.Ordinal))
            .Reverse()
            .ToList();

        Assert.Equal(
            [
                AuditActions.KeyActivated,
                AuditActions.KeyGenerated,
                AuditActions.KeyActivated,
                AuditActions.KeyRewrapStarted,
                AuditActions.KeyRewrapCompleted,
                AuditActions.KeyRemoved,
            ],
            events.Select(e => e.Action)
        );
        Assert.Equal(created.Thumbprint, events[1].TargetId);
        Assert.Equal("ada", events[1].ActorName);
        Assert.Contains("\"rewrapped\":25", events[4].Details, StringComparison.Ordinal);
        Assert.Equal("chain intact", (await Host.Get<AuditVerifier>().VerifyAsync()).ToString()[..12]);
    }

    [Fact]
    public async Task Agents_CannotSeeOrChangeTheKeys()
    {
        await Host.ActAsAsync(await Host.CreateAgentAsync("alex@example.com"));

        await Assert.ThrowsAsync<AccessDeniedException>(() => Status.GetOverviewAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => Encryption.GenerateKeyAsync(true, true, true));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Encryption.StartRewrapAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Host.Get<SettingsService>()
                .SaveAsync(new EmailSettings(), new Dictionary<string, string?> { [EmailSettings.SmtpPasswordName] = "x" })
        );
    }

    public sealed class OnSqlite() : EncryptionServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : EncryptionServiceTests(postgres);
}
