using System.Net;
using System.Text;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Customers;
using BlazorVault.Tests.Infrastructure;
using OtpNet;

namespace BlazorVault.Tests.Accounts.Web;

/// <summary>
/// Passwords typed into the app (setup, a failed and a good sign-in, an agent-set initial password) and second factors
/// (authenticator keys, recovery codes) never appear in the database files (db, -wal, -shm) or in anything the app
/// logged, in UTF-8 or UTF-16. On PostgreSQL the files are the database's own and the server's write-ahead log.
/// </summary>
public abstract class SecretCanaryTests(ITestDatabaseSource databases)
{
    [Fact]
    public async Task Passwords_NeverReachTheDatabaseFilesOrTheLogs()
    {
        var admin = $"canary-admin-{Guid.NewGuid():N}";
        var wrong = $"canary-wrong-{Guid.NewGuid():N}";
        var initial = $"canary-initial-{Guid.NewGuid():N}";
        using var data = new TempDirectory();
        await using var database = await databases.CreateAsync();
        string logs;

        await using (var app = new AppFactory(new Dictionary<string, string?>(database.Configuration), data))
        {
            using var client = app.CreateRealClient();
            var setup = await HttpForms.SubmitAsync(
                client,
                "/setup",
                "setup",
                new Dictionary<string, string>
                {
                    ["Input.DisplayName"] = "Ada Admin",
                    ["Input.Email"] = "ada@example.com",
                    ["Input.Password"] = admin,
                    ["ConfirmPassword"] = admin,
                }
            );
            Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);

            using var other = app.CreateRealClient();
            var failed = await HttpForms.SignInAsync(other, "ada@example.com", wrong);
            Assert.DoesNotContain(wrong, await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await HttpForms.SignInAsync(other, "ada@example.com", admin)).StatusCode);

            var acme = await app.CreateCustomerAsync("Acme");
            await app.AsSystemAsync<PortalUserService, string>(s =>
                s.CreateAsync(
                    acme,
                    new NewAccountInput
                    {
                        DisplayName = "Wile",
                        Email = "wile@acme.example",
                        Password = initial,
                    }
                )
            );
            logs = app.Logs.All;
            Assert.NotEmpty(app.Logs.Lines);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // The scan does see what the files hold: a non-secret written the same way is there.
        var contents = await database.ReadFilesAsync(data.Path);
        Assert.Contains(contents, bytes => Contains(bytes, Encoding.UTF8.GetBytes("wile@acme.example")));
        Assert.Contains("Created account", logs, StringComparison.Ordinal);

        foreach (var canary in new[] { admin, wrong, initial })
        {
            Assert.DoesNotContain(canary, logs, StringComparison.Ordinal);
            foreach (var bytes in contents)
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(canary)), $"{canary} found (UTF-8) in the database files");
                Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(canary)), $"{canary} found (UTF-16) in the database files");
            }
        }
    }

    [Fact]
    public async Task AuthenticatorKeysAndRecoveryCodes_NeverReachTheDatabaseFiles_AndStillSignIn()
    {
        using var data = new TempDirectory();
        await using var database = await databases.CreateAsync();
        var scans = new List<byte[]>();
        string key;
        IReadOnlyList<string> recoveryCodes;
        string logs;

        await using (var app = new AppFactory(new Dictionary<string, string?>(database.Configuration), data))
        {
            await app.CreateAdminAsync("ada@example.com");
            using var client = app.CreateRealClient();
            Assert.Equal(HttpStatusCode.Redirect, (await HttpForms.SignInAsync(client, "ada@example.com")).StatusCode);
            (key, recoveryCodes) = await TwoFactorForms.EnableAuthenticatorAsync(client);

            using (var withCode = app.CreateRealClient())
            {
                Assert.True(await TwoFactorForms.SignInWithAuthenticatorAsync(withCode, "ada@example.com", key));
            }

            using (var withRecovery = app.CreateRealClient())
            {
                Assert.True(await TwoFactorForms.SignInWithRecoveryCodeAsync(withRecovery, "ada@example.com", recoveryCodes[0]));
            }

            using (var again = app.CreateRealClient())
            {
                Assert.False(await TwoFactorForms.SignInWithRecoveryCodeAsync(again, "ada@example.com", recoveryCodes[0]));
            }

            scans.AddRange(await database.ReadFilesAsync(data.Path));
            logs = app.Logs.All;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        scans.AddRange(await database.ReadFilesAsync(data.Path));

        // The scan does see what the files hold: the account's address is there.
        Assert.True(DatabaseFiles.Contain(scans, Encoding.UTF8.GetBytes("ada@example.com")));
        var formatted = string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
        foreach (var form in new[] { key, key.ToLowerInvariant(), formatted })
        {
            DatabaseFiles.AssertAbsent(scans, form, "The authenticator key");
            Assert.DoesNotContain(form, logs, StringComparison.Ordinal);
        }

        Assert.False(
            DatabaseFiles.Contain(scans, Base32Encoding.ToBytes(key)),
            "The authenticator key's bytes found in the database files"
        );
        foreach (var code in recoveryCodes)
        {
            DatabaseFiles.AssertAbsent(scans, code, "A recovery code");
            Assert.DoesNotContain(code, logs, StringComparison.Ordinal);
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    public sealed class OnSqlite() : SecretCanaryTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : SecretCanaryTests(postgres);
}
