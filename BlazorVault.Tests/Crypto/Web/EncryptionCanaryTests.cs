using System.Net;
using System.Text;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Crypto.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Crypto.Web;

/// <summary>
/// Secrets stored through the real services on the real host, revealed, then re-wrapped by the real Quartz job:
/// the canary values never appear in the database files (db, -wal, -shm), the logs (down to Trace) or a page's
/// HTML, in UTF-8 or UTF-16.
/// </summary>
public sealed class EncryptionCanaryTests
{
    private const int Secrets = 40;

    [Fact]
    public async Task StoredRevealedAndRotatedSecrets_NeverReachTheDatabaseFilesTheLogsOrTheHtml()
    {
        var smtp = $"canary-smtp-{Guid.NewGuid():N}";
        var stored = $"canary-stored-{Guid.NewGuid():N}";
        var vault = $"canary-vault-{Guid.NewGuid():N}";
        using var data = new TempDirectory();
        var scans = new List<byte[]>();
        string logs;

        await using (var app = new AppFactory(data: data))
        {
            using var client = app.CreateRealClient();
            await app.CreateAdminAsync("ada@example.com");
            await app.AsSystemAsync<SettingsService, bool>(async s =>
            {
                await s.SaveAsync(
                    await s.GetAsync<EmailSettings>(),
                    new Dictionary<string, string?> { [EmailSettings.SmtpPasswordName] = smtp }
                );
                return true;
            });
            await app.WriteSecretsAsync(Enumerable.Range(0, Secrets).Select(i => (Slot(i), $"{stored}-{i}")));

            // Customer passwords through the password tab's service: stored, changed, revealed and copied.
            var acme = await app.CreateCustomerAsync("Acme");
            var vaultRows = new List<int>();
            for (var i = 0; i < 5; i++)
            {
                var index = i;
                var input = new VaultRowInput(new Dictionary<int, string?> { [3] = $"vault-user-{index}", [4] = $"{vault}-first-{index}" });
                vaultRows.Add(await app.AsSystemAsync<CustomerVaultService, int>(v => v.CreateRowAsync(acme, 1, input)));
            }

            foreach (var row in vaultRows)
            {
                await app.AsSystemAsync<CustomerVaultService, bool>(async v =>
                {
                    await v.UpdateRowAsync(row, new VaultRowInput(new Dictionary<int, string?> { [4] = $"{vault}-second-{row}" }));
                    return true;
                });
                await app.AsSystemAsync<RevealSecretCommand, bool>(async reveal =>
                {
                    Assert.Equal($"{vault}-second-{row}", (await reveal.RevealAsync(row, 4, RevealKind.Revealed)).Value);
                    Assert.Equal($"{vault}-second-{row}", (await reveal.RevealAsync(row, 4, RevealKind.Copied)).Value);
                    return true;
                });
            }

            Assert.Equal(smtp, await RevealSmtpPasswordAsync(app));
            await AssertAllReadableAsync(app, stored);

            // Rotate: a new key, then the real re-wrap job on Quartz.
            await app.AsSystemAsync<EncryptionService, CertificateView>(s => s.GenerateKeyAsync(true, true, makeActive: true));
            await app.AsSystemAsync<EncryptionService, bool>(async s =>
            {
                await s.StartRewrapAsync();
                return true;
            });
            var status = await WaitForRewrapAsync(app);
            Assert.Equal(Secrets + 1 + vaultRows.Count, status.WrappedByActive);
            var revealed = await app.AsSystemAsync<RevealSecretCommand, RevealedSecret>(reveal =>
                reveal.RevealAsync(vaultRows[0], 4, RevealKind.Revealed)
            );
            Assert.Equal($"{vault}-second-{vaultRows[0]}", revealed.Value);
            Assert.Equal(smtp, await RevealSmtpPasswordAsync(app));
            await AssertAllReadableAsync(app, stored);

            // The Email page an admin opens (prerendered, then live) never carries the value.
            Assert.Equal(HttpStatusCode.Redirect, (await HttpForms.SignInAsync(client, "ada@example.com")).StatusCode);
            var page = await client.GetStringAsync("/config/email");
            Assert.Contains("SMTP password", page, StringComparison.Ordinal);
            Assert.DoesNotContain(smtp, page, StringComparison.Ordinal);
            var customerPage = await client.GetStringAsync($"/customers/{acme}");
            Assert.Contains("Acme", customerPage, StringComparison.Ordinal);
            Assert.DoesNotContain(vault, customerPage, StringComparison.Ordinal);

            scans.AddRange(await ReadDatabaseFilesAsync(data.Path));
            logs = app.Logs.All;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        scans.AddRange(await ReadDatabaseFilesAsync(data.Path));

        // The scan does see what the files and logs hold: the slot names written beside the secrets are there.
        Assert.Contains(scans, bytes => Contains(bytes, Encoding.UTF8.GetBytes("canary-slot-39")));
        Assert.Contains("key-rewrap", logs, StringComparison.Ordinal);
        Assert.Contains(scans, bytes => Contains(bytes, Encoding.UTF8.GetBytes("vault-user-4")));
        foreach (var canary in new[] { smtp, stored, vault })
        {
            Assert.DoesNotContain(canary, logs, StringComparison.Ordinal);
            foreach (var bytes in scans)
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(canary)), $"{canary} found (UTF-8) in the database files");
                Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(canary)), $"{canary} found (UTF-16) in the database files");
            }
        }
    }

    [Fact]
    public async Task DataProtectionKeys_AreSealedWithTheCertificate_AndReadAfterARestart()
    {
        using var data = new TempDirectory();
        await using (var app = new AppFactory(data: data))
        {
            using var client = app.CreateRealClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/setup")).StatusCode);
        }

        var keyFile = Assert.Single(Directory.GetFiles(Path.Combine(data.Path, "keys", "dataprotection"), "*.xml"));
        var xml = await File.ReadAllTextAsync(keyFile);
        Assert.Contains("<blazorVaultSealedKey", xml, StringComparison.Ordinal);
        Assert.Contains("KeyRingXmlDecryptor", xml, StringComparison.Ordinal);
        Assert.Matches("thumbprint=\"[0-9A-F]{64}\"", xml);
        Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);

        // After a restart the same sealed key still reads: a sign-in cookie issued before it is accepted after it.
        await using (var app = new AppFactory(data: data))
        {
            await app.CreateAdminAsync("ada@example.com");
        }

        var cookies = new CookieContainer();
        await using (var first = new AppFactory(data: data))
        {
            using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
            {
                BaseAddress = new Uri(first.StartAndGetAddress()),
            };
            Assert.Equal(HttpStatusCode.Redirect, (await HttpForms.SignInAsync(client, "ada@example.com")).StatusCode);
        }

        await using var again = new AppFactory(data: data);
        var address = new Uri(again.StartAndGetAddress());
        foreach (Cookie cookie in cookies.GetAllCookies())
        {
            cookies.Add(address, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        using var second = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = address,
        };
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/config/encryption")).StatusCode);
        Assert.Single(Directory.GetFiles(Path.Combine(data.Path, "keys", "dataprotection"), "*.xml"));
    }

    private static SecretSlot Slot(int i) => new("test", $"canary-slot-{i}", "password");

    private static Task<string?> RevealSmtpPasswordAsync(AppFactory app) =>
        app.AsSystemAsync<SettingsService, string?>(async s =>
            (await s.ReadWithSecretAsync<EmailSettings>(EmailSettings.SmtpPasswordName)).Secret
        );

    private static async Task AssertAllReadableAsync(AppFactory app, string stored)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<SecretStore>();
        for (var i = 0; i < Secrets; i++)
        {
            Assert.Equal($"{stored}-{i}", await store.ReadAsync(Slot(i), CancellationToken.None));
        }
    }

    private static async Task<RewrapStatus> WaitForRewrapAsync(AppFactory app)
    {
        for (var i = 0; i < 300; i++)
        {
            var status = await app.AsSystemAsync<EncryptionStatusService, RewrapStatus>(s => s.GetRewrapStatusAsync());
            if (status is { Requested: false, Running: false })
            {
                return status;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The re-wrap job did not finish within 30 seconds.");
    }

    private static async Task<byte[][]> ReadDatabaseFilesAsync(string dataDirectory)
    {
        var files = Directory.GetFiles(Path.Combine(dataDirectory, "db"));
        return await Task.WhenAll(
            files.Select(async f =>
            {
                await using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer);
                return buffer.ToArray();
            })
        );
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
