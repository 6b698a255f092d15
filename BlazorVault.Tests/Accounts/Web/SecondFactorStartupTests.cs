using BlazorVault.Core.Audit;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using OtpNet;

namespace BlazorVault.Tests.Accounts.Web;

/// <summary>
/// An installation upgraded from a version that kept authenticator keys and recovery codes in clear in
/// <c>AspNetUserTokens</c>: the start seals them, once, and the person still signs in with them.
/// </summary>
public sealed class SecondFactorStartupTests
{
    private const string Ada = "ada@example.com";

    [Fact]
    public async Task ClearSecondFactorsFromAnOlderVersion_AreSealedAtStartUp_OnceAndStillWork()
    {
        using var data = new TempDirectory();
        await using (var first = new AppFactory(data: data))
        {
            await first.CreateAdminAsync(Ada);
        }

        var key = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        string[] codes = ["K7MPQ-2XW9D", "R4TZV-8HN3B", "Q9WCE-5LJ6M"];
        var adaId = await WriteAsAnOlderVersionAsync(data, key, codes);

        await using (var upgraded = new AppFactory(data: data))
        {
            upgraded.StartAndGetAddress();
            Assert.Equal(0L, await ScalarAsync(data, "SELECT COUNT(*) FROM AspNetUserTokens"));
            Assert.Equal(2L, await ScalarAsync(data, "SELECT COUNT(*) FROM Secrets WHERE EntityId = $id", adaId));
            Assert.Equal(1L, await SealedEventsAsync(data));

            using var withCode = upgraded.CreateRealClient();
            Assert.True(await TwoFactorForms.SignInWithAuthenticatorAsync(withCode, Ada, key));
            using var withRecovery = upgraded.CreateRealClient();
            Assert.True(await TwoFactorForms.SignInWithRecoveryCodeAsync(withRecovery, Ada, codes[1]));
        }

        SqliteConnection.ClearAllPools();
        var files = await DatabaseFiles.ReadAsync(data.Path);
        DatabaseFiles.AssertAbsent(files, key, "The authenticator key written in clear by the older version");
        foreach (var code in codes)
        {
            DatabaseFiles.AssertAbsent(files, code, "A recovery code written in clear by the older version");
        }

        // A second start finds nothing left to seal, and the sealed values still work.
        await using var restarted = new AppFactory(data: data);
        using var client = restarted.CreateRealClient();
        Assert.True(await TwoFactorForms.SignInWithAuthenticatorAsync(client, Ada, key));
        using var other = restarted.CreateRealClient();
        Assert.False(await TwoFactorForms.SignInWithRecoveryCodeAsync(other, Ada, codes[1]));
        using var third = restarted.CreateRealClient();
        Assert.True(await TwoFactorForms.SignInWithRecoveryCodeAsync(third, Ada, codes[2]));
        Assert.Equal(1L, await SealedEventsAsync(data));
        Assert.Equal(2L, await ScalarAsync(data, "SELECT COUNT(*) FROM Secrets WHERE EntityId = $id", adaId));
    }

    /// <summary>What the older version's Identity store wrote: the tokens in clear, two-factor sign-in on.</summary>
    private static async Task<string> WriteAsAnOlderVersionAsync(TempDirectory data, string key, string[] codes)
    {
        await using var connection = await OpenAsync(data);
        var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE AspNetUsers SET TwoFactorEnabled = 1 WHERE NormalizedEmail = 'ADA@EXAMPLE.COM';
            INSERT INTO AspNetUserTokens (UserId, LoginProvider, Name, Value)
                SELECT Id, '[AspNetUserStore]', 'AuthenticatorKey', $key FROM AspNetUsers WHERE NormalizedEmail = 'ADA@EXAMPLE.COM';
            INSERT INTO AspNetUserTokens (UserId, LoginProvider, Name, Value)
                SELECT Id, '[AspNetUserStore]', 'RecoveryCodes', $codes FROM AspNetUsers WHERE NormalizedEmail = 'ADA@EXAMPLE.COM';
            SELECT Id FROM AspNetUsers WHERE NormalizedEmail = 'ADA@EXAMPLE.COM';
            """;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$codes", string.Join(';', codes));
        var id = (string)(await command.ExecuteScalarAsync())!;
        await connection.CloseAsync();
        SqliteConnection.ClearAllPools();
        return id;
    }

    private static Task<long> SealedEventsAsync(TempDirectory data) =>
        ScalarAsync(data, "SELECT COUNT(*) FROM AuditEvents WHERE Action = $id", AuditActions.SecondFactorsSealed);

    private static async Task<long> ScalarAsync(TempDirectory data, string sql, string? id = null)
    {
        await using var connection = await OpenAsync(data);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (id is not null)
        {
            command.Parameters.AddWithValue("$id", id);
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<SqliteConnection> OpenAsync(TempDirectory data)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(data.Path, "db", "blazorvault.db")};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}
