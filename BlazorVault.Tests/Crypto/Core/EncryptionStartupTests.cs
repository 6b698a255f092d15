using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Tests.Crypto.Core;

/// <summary>What a start does with the key directory: the first key on a new installation only, never a silent new key.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public abstract class EncryptionStartupTests(ITestDatabaseSource databases)
{
    [Fact]
    public async Task ANewInstallation_GeneratesOneKey_WarnsAndAudits_AndAdminsAreToldToBackItUp()
    {
        await using var host = await CoreTestHost.StartAsync(installTestKey: false, databases: databases);

        var file = Assert.Single(Directory.GetFiles(host.Paths.KeyDirectory, "*.pfx"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Contains("Back this file up now, separately from the database", host.Logs.All, StringComparison.Ordinal);
        var events = (await host.Get<AuditQueryService>().ListAsync(new AuditQuery())).Items;
        Assert.Equal([AuditActions.KeyActivated, AuditActions.KeyGenerated], events.Select(e => e.Action));
        var notice = Assert.Single(await host.Get<EncryptionStatusService>().GetNoticesAsync());
        Assert.Contains(file, notice.Message, StringComparison.Ordinal);

        // A second start finds the key and generates nothing.
        Assert.False(await host.AsSystemAsync(() => host.Get<EncryptionInitializer>().InitializeAsync()));
        Assert.Single(Directory.GetFiles(host.Paths.KeyDirectory, "*.pfx"));
    }

    [Fact]
    public async Task AKeyDirectoryThatLostItsCertificates_StopsTheStart_InsteadOfGeneratingANewKey()
    {
        await using var host = await CoreTestHost.StartAsync(databases: databases);
        await using (var db = await host.OpenDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await host.Get<SecretStore>().WriteAsync(db, new SecretSlot("test", "1", "password"), "value", CancellationToken.None);
            await transaction.CommitAsync();
        }

        var file = Assert.Single(Directory.GetFiles(host.Paths.KeyDirectory, "*.pfx"));
        var thumbprint = host.Get<KeyRing>().Certificates.Single().Thumbprint;
        File.Delete(file);
        using var emptyRing = KeyRingLoader.Load(new EncryptionOptions(), host.Paths, TimeProvider.System);
        var initializer = new EncryptionInitializer(
            emptyRing,
            host.Get<IAuditLog>(),
            host.Get<IDbContextFactory<BlazorVaultDbContext>>(),
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EncryptionInitializer>.Instance
        );

        var ex = await Assert.ThrowsAsync<KeyRingException>(() => host.AsSystemAsync(() => initializer.InitializeAsync()));

        Assert.Contains(thumbprint, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Restore the key directory from your key backup", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(host.Paths.KeyDirectory, "*.pfx"));
    }

    [Fact]
    public async Task AMissingActiveCertificateThatWrapsSecrets_StopsTheStart()
    {
        await using var host = await CoreTestHost.StartAsync(databases: databases);
        var encryption = host.Get<EncryptionService>();
        await host.AsSystemAsync(async () =>
        {
            var created = await encryption.GenerateKeyAsync(true, true, makeActive: true);
            await using var db = await host.OpenDbAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await host.Get<SecretStore>().WriteAsync(db, new SecretSlot("test", "1", "password"), "value", CancellationToken.None);
            await transaction.CommitAsync();
            File.Delete(created.Location!);
            return created;
        });
        using var ring = KeyRingLoader.Load(new EncryptionOptions(), host.Paths, TimeProvider.System);
        var initializer = new EncryptionInitializer(
            ring,
            host.Get<IAuditLog>(),
            host.Get<IDbContextFactory<BlazorVaultDbContext>>(),
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<EncryptionInitializer>.Instance
        );

        var ex = await Assert.ThrowsAsync<KeyRingException>(() => host.AsSystemAsync(() => initializer.InitializeAsync()));

        Assert.Contains("wraps 1 secret(s)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Restore its PFX", ex.Message, StringComparison.Ordinal);
    }

    public sealed class OnSqlite() : EncryptionStartupTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : EncryptionStartupTests(postgres);
}
