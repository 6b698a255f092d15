using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Crypto.Models;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Tests.Crypto.Core;

/// <summary>The Encryption page's operations on a real SQLite file: generate, activate, re-wrap, resume, remove.</summary>
public sealed class KeyRotationTests : IAsyncLifetime
{
    private const int SecretCount = 25;

    private CoreTestHost _host = default!;

    private EncryptionService Encryption => _host.Get<EncryptionService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        await _host.ActAsAsync(await _host.CreateAgentAsync("ada@example.com", isAdmin: true));
        await using var db = await _host.OpenDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        for (var i = 0; i < SecretCount; i++)
        {
            await _host.Get<SecretStore>().WriteAsync(db, Slot(i), Value(i), CancellationToken.None);
        }

        await transaction.CommitAsync();
    }

    [Fact]
    public async Task Rotation_ReWrapsEverything_AndTheOldCertificateThenWrapsNothing()
    {
        var before = await Encryption.GetOverviewAsync();
        var old = Assert.Single(before.Certificates);
        Assert.Equal((true, SecretCount), (old.IsActive, old.SecretCount));

        var created = await Encryption.GenerateKeyAsync(understandsLoss: true, hasBackupMethod: true, makeActive: true);
        await Encryption.StartRewrapAsync();
        Assert.Equal(SecretRewrapper.JobKey, _host.Scheduler.Triggered[^1]);
        Assert.True((await Encryption.GetRewrapStatusAsync()).Requested);

        var result = await _host.AsSystemAsync(() => _host.Get<SecretRewrapper>().RunAsync(10, null, CancellationToken.None));

        Assert.Equal(new RewrapResult(SecretCount, 0, 0), result);
        var after = await Encryption.GetOverviewAsync();
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
            _host.AsSystemAsync(() => _host.Get<SecretRewrapper>().RunAsync(10, progress, kill.Token)));

        var midway = await Encryption.GetRewrapStatusAsync();
        Assert.Equal((true, SecretCount, 20), (midway.Requested, midway.Total, midway.WrappedByActive));
        await AssertAllValuesReadableAsync();

        // The next start sees the unfinished request and resumes it.
        Assert.True(await _host.AsSystemAsync(() => _host.Get<EncryptionInitializer>().InitializeAsync()));
        var resumed = await _host.AsSystemAsync(() => _host.Get<SecretRewrapper>().RunAsync(10, null, CancellationToken.None));

        Assert.Equal(new RewrapResult(5, 0, 0), resumed);
        Assert.False(await _host.AsSystemAsync(() => _host.Get<EncryptionInitializer>().InitializeAsync()));
        Assert.Equal(SecretCount, (await Encryption.GetOverviewAsync()).Certificates.Single(c => c.Thumbprint == created.Thumbprint).SecretCount);
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
            using var db = _host.OpenDbAsync().GetAwaiter().GetResult();
            using var transaction = db.Database.BeginTransaction();
            _host.Get<SecretStore>().WriteAsync(db, Slot(15), "changed meanwhile", CancellationToken.None).GetAwaiter().GetResult();
            transaction.Commit();
        });

        var result = await _host.AsSystemAsync(() => _host.Get<SecretRewrapper>().RunAsync(10, progress, CancellationToken.None));

        Assert.Equal((SecretCount - 1, 0), (result.Rewrapped, result.Remaining));
        Assert.Equal("changed meanwhile", await _host.Get<SecretStore>().ReadAsync(Slot(15), CancellationToken.None));
        for (var i = 0; i < SecretCount; i++)
        {
            if (i != 15)
            {
                Assert.Equal(Value(i), await _host.Get<SecretStore>().ReadAsync(Slot(i), CancellationToken.None));
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

        var result = await _host.AsSystemAsync(() => _host.Get<SecretRewrapper>().RunAsync(10, progress, CancellationToken.None));

        Assert.Equal(0, result.Remaining);
        var overview = await Encryption.GetOverviewAsync();
        Assert.Equal(SecretCount, overview.Certificates.Single(c => c.Thumbprint == second.Thumbprint).SecretCount);
        Assert.Equal(0, overview.Certificates.Single(c => c.Thumbprint == first.Thumbprint).SecretCount);
        await Encryption.RemoveAsync(first.Thumbprint);
        await AssertAllValuesReadableAsync();
    }

    [Fact]
    public async Task ACertificateCannotBeRemovedWhileAReWrapIsUnderWay()
    {
        var old = Assert.Single((await Encryption.GetOverviewAsync()).Certificates);
        await Encryption.GenerateKeyAsync(true, true, makeActive: true);
        await _host.AsSystemAsync(() => _host.Get<SecretRewrapper>().RunAsync(100, null, CancellationToken.None));
        await Encryption.StartRewrapAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => Encryption.RemoveAsync(old.Thumbprint));

        Assert.Contains("A re-wrap is under way", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACertificateThatStillWrapsSecrets_CannotBeRemoved_UntilReWrapped()
    {
        var old = Assert.Single((await Encryption.GetOverviewAsync()).Certificates);
        var activeRefused = await Assert.ThrowsAsync<ValidationFailedException>(() => Encryption.RemoveAsync(old.Thumbprint));
        Assert.Contains("active certificate", activeRefused.Message, StringComparison.Ordinal);

        await Encryption.GenerateKeyAsync(true, true, makeActive: true);
        var wrapsRefused = await Assert.ThrowsAsync<ValidationFailedException>(() => Encryption.RemoveAsync(old.Thumbprint));
        Assert.Contains($"still wraps {SecretCount} secret(s)", wrapsRefused.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(old.Location!));

        await _host.AsSystemAsync(() => _host.Get<SecretRewrapper>().RunAsync(100, null, CancellationToken.None));
        await Encryption.RemoveAsync(old.Thumbprint);

        Assert.False(File.Exists(old.Location!));
        Assert.True(File.Exists(Path.Combine(_host.Paths.KeyDirectory, KeyRingLoader.RetiredFolderName, Path.GetFileName(old.Location!))));
        Assert.DoesNotContain((await Encryption.GetOverviewAsync()).Certificates, c => c.Thumbprint == old.Thumbprint);
        await AssertAllValuesReadableAsync();
    }

    [Fact]
    public async Task AWeakCertificateDroppedIntoTheKeyDirectoryWhileRunning_IsSkippedAndReported()
    {
        TestCertificates.WriteRsaPfx(_host.Paths.KeyDirectory, 2048, "dropped-in");

        var overview = await Encryption.GetOverviewAsync();

        Assert.Single(overview.Certificates);
        Assert.True(overview.Health.IsHealthy);
        Assert.Contains(overview.Warnings, w => w.Contains("dropped-in.pfx", StringComparison.Ordinal) && w.Contains("2048-bit", StringComparison.Ordinal));
        Assert.Equal(Value(3), await _host.Get<SecretStore>().ReadAsync(Slot(3), CancellationToken.None));
    }

    [Fact]
    public async Task AnActiveCertificateExpiringWithin30Days_IsAnnouncedToAdministrators()
    {
        Assert.DoesNotContain(await Encryption.GetNoticesAsync(), n => n.Message.Contains("expires", StringComparison.Ordinal));
        TestCertificates.WriteRsaPfx(_host.Paths.KeyDirectory, 3072, "short-lived", TimeSpan.FromDays(20));
        var shortLived = (await Encryption.GetOverviewAsync()).Certificates.Single(c => c.Subject.Contains("short-lived", StringComparison.Ordinal));
        Assert.True(shortLived.ExpiresSoon);
        Assert.DoesNotContain(await Encryption.GetNoticesAsync(), n => n.Message.Contains("expires", StringComparison.Ordinal));

        await Encryption.ActivateAsync(shortLived.Thumbprint);

        var notice = Assert.Single(await Encryption.GetNoticesAsync(), n => n.Message.Contains("expires", StringComparison.Ordinal));
        Assert.Contains("(20 days)", notice.Message, StringComparison.Ordinal);
        Assert.Contains("Generate a new key and re-wrap", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyIsGeneratedOnlyAfterBothAcknowledgements()
    {
        var files = Directory.GetFiles(_host.Paths.KeyDirectory, "*.pfx").Length;

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => Encryption.GenerateKeyAsync(understandsLoss: true, hasBackupMethod: false, makeActive: true));

        Assert.Equal(["HasBackupMethod"], ex.Errors.Keys);
        Assert.Equal(files, Directory.GetFiles(_host.Paths.KeyDirectory, "*.pfx").Length);
    }

    [Fact]
    public async Task MakeActive_SendsNewWritesToThatCertificate_AndOldSecretsStillRead()
    {
        var old = Assert.Single((await Encryption.GetOverviewAsync()).Certificates);
        var created = await Encryption.GenerateKeyAsync(true, true, makeActive: false);
        Assert.False(created.IsActive);

        await Encryption.ActivateAsync(created.Thumbprint);
        await using (var db = await _host.OpenDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await _host.Get<SecretStore>().WriteAsync(db, Slot(0), "rewritten", CancellationToken.None);
            await transaction.CommitAsync();
        }

        var overview = await Encryption.GetOverviewAsync();
        Assert.Equal((1, SecretCount - 1), (overview.Certificates.Single(c => c.IsActive).SecretCount, overview.Certificates.Single(c => c.Thumbprint == old.Thumbprint).SecretCount));
        Assert.Equal("rewritten", await _host.Get<SecretStore>().ReadAsync(Slot(0), CancellationToken.None));
        Assert.Equal(Value(1), await _host.Get<SecretStore>().ReadAsync(Slot(1), CancellationToken.None));
    }

    [Fact]
    public async Task EveryKeyOperation_IsAudited()
    {
        var old = Assert.Single((await Encryption.GetOverviewAsync()).Certificates);
        var created = await Encryption.GenerateKeyAsync(true, true, makeActive: true);
        await Encryption.StartRewrapAsync();
        await _host.AsSystemAsync(() => _host.Get<SecretRewrapper>().RunAsync(100, null, CancellationToken.None));
        await Encryption.RemoveAsync(old.Thumbprint);

        var events = (await _host.Get<AuditQueryService>().ListAsync(new AuditQuery(PageSize: 50))).Items
            .Where(e => e.Action.StartsWith("key.", StringComparison.Ordinal)).Reverse().ToList();

        Assert.Equal(
            [AuditActions.KeyActivated, AuditActions.KeyGenerated, AuditActions.KeyActivated, AuditActions.KeyRewrapStarted, AuditActions.KeyRewrapCompleted, AuditActions.KeyRemoved],
            events.Select(e => e.Action));
        Assert.Equal(created.Thumbprint, events[1].TargetId);
        Assert.Equal("ada", events[1].ActorName);
        Assert.Contains("\"rewrapped\":25", events[4].Details, StringComparison.Ordinal);
        Assert.Equal("chain intact", (await _host.Get<AuditVerifier>().VerifyAsync()).ToString()[..12]);
    }

    [Fact]
    public async Task Agents_CannotSeeOrChangeTheKeys()
    {
        await _host.ActAsAsync(await _host.CreateAgentAsync("alex@example.com"));

        await Assert.ThrowsAsync<AccessDeniedException>(() => Encryption.GetOverviewAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => Encryption.GenerateKeyAsync(true, true, true));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Encryption.StartRewrapAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => _host.Get<SettingsService>().SetSecretAsync<EmailSettings>(EmailSettings.SmtpPasswordName, "x"));
    }

    [Fact]
    public async Task TheSmtpPassword_IsStoredEncrypted_NeverInTheSettingsJson_AndAuditedWithoutItsValue()
    {
        const string Password = "smtp-canary-7d2e9a";
        var settings = _host.Get<SettingsService>();
        Assert.False(await settings.IsSecretSetAsync<EmailSettings>(EmailSettings.SmtpPasswordName));

        await settings.SetSecretAsync<EmailSettings>(EmailSettings.SmtpPasswordName, Password);
        await settings.SaveAsync(new EmailSettings { SmtpHost = "smtp.example.com", SmtpUser = "helpdesk" });

        Assert.True(await settings.IsSecretSetAsync<EmailSettings>(EmailSettings.SmtpPasswordName));
        Assert.Equal(Password, await settings.RevealSecretAsync<EmailSettings>(EmailSettings.SmtpPasswordName));
        await using var db = await _host.OpenDbAsync();
        Assert.DoesNotContain(Password, (await db.Settings.SingleAsync(s => s.Section == "email")).Json, StringComparison.Ordinal);
        var audit = (await _host.Get<AuditQueryService>().ListAsync(new AuditQuery(Action: AuditActions.SettingsChanged))).Items;
        Assert.Contains(audit, e => e.Details == "{\"secret\":\"SmtpPassword\",\"change\":\"set\"}");
        Assert.DoesNotContain(audit, e => e.Details!.Contains(Password, StringComparison.Ordinal));

        await settings.SetSecretAsync<EmailSettings>(EmailSettings.SmtpPasswordName, null);
        Assert.False(await settings.IsSecretSetAsync<EmailSettings>(EmailSettings.SmtpPasswordName));
        Assert.Null(await settings.RevealSecretAsync<EmailSettings>(EmailSettings.SmtpPasswordName));
    }

    [Fact]
    public async Task ASecretCopiedIntoAnotherRow_DoesNotDecrypt()
    {
        await using (var db = await _host.OpenDbAsync())
        {
            await db.Database.ExecuteSqlRawAsync("""
                UPDATE Secrets SET Ciphertext = src.Ciphertext, Nonce = src.Nonce, Tag = src.Tag, WrappedKey = src.WrappedKey
                FROM (SELECT Ciphertext, Nonce, Tag, WrappedKey FROM Secrets WHERE EntityId = 'row-0') AS src
                WHERE EntityId = 'row-1'
                """);
        }

        var ex = await Assert.ThrowsAsync<SecretUnreadableException>(() => _host.Get<SecretStore>().ReadAsync(Slot(1), CancellationToken.None));

        Assert.Equal(SecretFailure.WrongSlotOrTampered, ex.Failure);
        Assert.Equal(Value(0), await _host.Get<SecretStore>().ReadAsync(Slot(0), CancellationToken.None));
    }

    private static SecretSlot Slot(int i) => new("test", $"row-{i}", "password");

    private static string Value(int i) => $"value-{i}-{new string('x', i)}";

    private async Task AssertAllValuesReadableAsync()
    {
        for (var i = 0; i < SecretCount; i++)
        {
            Assert.Equal(Value(i), await _host.Get<SecretStore>().ReadAsync(Slot(i), CancellationToken.None));
        }
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private sealed class SynchronousProgress(Action<RewrapProgress> report) : IProgress<RewrapProgress>
    {
        public void Report(RewrapProgress value) => report(value);
    }
}
