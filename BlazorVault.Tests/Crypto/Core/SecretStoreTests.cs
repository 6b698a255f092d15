using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Tests.Crypto.Core;

/// <summary>Secrets at rest on SQLite and on PostgreSQL: never in clear, and bound to their slot.</summary>
public abstract class SecretStoreTests(ITestDatabaseSource databases) : SeededSecretsTestBase(databases)
{
    [Fact]
    public async Task TheSmtpPassword_IsStoredEncrypted_NeverInTheSettingsJson_AndAuditedWithoutItsValue()
    {
        const string Password = "smtp-canary-7d2e9a";
        var settings = Host.Get<SettingsService>();
        Assert.False(await settings.IsSecretSetAsync<EmailSettings>(EmailSettings.SmtpPasswordName));

        await settings.SaveAsync(
            new EmailSettings { SmtpHost = "smtp.example.com", SmtpUser = "helpdesk" },
            new Dictionary<string, string?> { [EmailSettings.SmtpPasswordName] = Password }
        );

        Assert.True(await settings.IsSecretSetAsync<EmailSettings>(EmailSettings.SmtpPasswordName));
        Assert.Equal(Password, (await settings.ReadWithSecretAsync<EmailSettings>(EmailSettings.SmtpPasswordName)).Secret);
        await using var db = await Host.OpenDbAsync();
        Assert.DoesNotContain(Password, (await db.Settings.SingleAsync(s => s.Section == "email")).Json, StringComparison.Ordinal);
        var audit = (await Host.Get<AuditQueryService>().ListAsync(new AuditQuery(Action: AuditActions.SettingsChanged))).Items;
        Assert.Contains(audit, e => e.Details == "{\"secret\":\"SmtpPassword\",\"change\":\"set\"}");
        Assert.DoesNotContain(audit, e => e.Details!.Contains(Password, StringComparison.Ordinal));

        await settings.RemoveSecretAsync(await settings.GetAsync<EmailSettings>(), EmailSettings.SmtpPasswordName);
        Assert.False(await settings.IsSecretSetAsync<EmailSettings>(EmailSettings.SmtpPasswordName));
        Assert.Null((await settings.ReadWithSecretAsync<EmailSettings>(EmailSettings.SmtpPasswordName)).Secret);
    }

    [Fact]
    public async Task ASecretCopiedIntoAnotherRow_DoesNotDecrypt()
    {
        await using (var db = await Host.OpenDbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(
                """
                UPDATE "Secrets"
                SET "Ciphertext" = src."Ciphertext", "Nonce" = src."Nonce", "Tag" = src."Tag", "WrappedKey" = src."WrappedKey"
                FROM (SELECT "Ciphertext", "Nonce", "Tag", "WrappedKey" FROM "Secrets" WHERE "EntityId" = 'row-0') AS src
                WHERE "EntityId" = 'row-1'
                """
            );
        }

        var ex = await Assert.ThrowsAsync<SecretUnreadableException>(() =>
            Host.Get<SecretStore>().ReadAsync(Slot(1), CancellationToken.None)
        );

        Assert.Equal(SecretFailure.WrongSlotOrTampered, ex.Failure);
        Assert.Equal(Value(0), await Host.Get<SecretStore>().ReadAsync(Slot(0), CancellationToken.None));
    }

    public sealed class OnSqlite() : SecretStoreTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : SecretStoreTests(postgres);
}
