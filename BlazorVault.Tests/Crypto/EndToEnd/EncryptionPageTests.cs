using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Crypto.EndToEnd;

/// <summary>
/// A new installation (no certificate: the app generates one) through the admin's whole key life cycle in Chromium:
/// the backup banner, the two acknowledgements, a new key, the re-wrap with its progress bar, removing the old key.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class EncryptionPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int SecretCount = 1500;

    private readonly TempDirectory _data = new(withTestKey: false);
    private AppFactory _app = default!;
    private string _address = "";

    public async ValueTask InitializeAsync()
    {
        _app = new AppFactory(data: _data);
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        await _app.WriteSecretsAsync(
            Enumerable.Range(0, SecretCount).Select(i => (new SecretSlot("test", $"row-{i}", "password"), $"value-{i}"))
        );
    }

    [Fact]
    public async Task AnAdmin_ConfirmsTheBackup_GeneratesANewKey_ReWrapsEverything_AndRetiresTheOldKey()
    {
        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        var page = admin.Page;
        await admin.SignInAsync("ada@example.com");

        // First run generated a key: every admin page says to back it up.
        var banner = page.Locator("[data-encryption-banner]");
        await Assertions.Expect(banner).ToContainTextAsync("BlazorVault generated an encryption key");
        await Assertions.Expect(banner).ToContainTextAsync(Path.Combine(_data.Path, "keys"));
        await admin.ScreenshotAsync("70-first-run-key-backup-banner");

        await banner.GetByText("Open Encryption").ClickAsync();
        await admin.WaitForInteractiveAsync();
        await Assertions
            .Expect(page.Locator("#encryption-health"))
            .ToContainTextAsync("Healthy: a test key wrapped and unwrapped with the active certificate");
        var rows = page.Locator("#certificates-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        var first = rows.First;
        var firstThumbprint = await first.GetAttributeAsync("data-certificate");
        await Assertions.Expect(first).ToContainTextAsync("Active");
        await Assertions.Expect(first).ToContainTextAsync("RSA 3072");
        await Assertions.Expect(first.Locator("[data-secret-count]")).ToHaveTextAsync($"{SecretCount}");
        await Assertions.Expect(first).ToContainTextAsync("Key directory");
        await admin.ScreenshotAsync("71-encryption-page-first-run");

        // Confirming the backup needs both statements.
        await first.Locator("[data-action=acknowledge]").ClickAsync();
        var confirm = page.Locator("#confirm-key");
        await Assertions.Expect(confirm).ToBeDisabledAsync();
        await page.GetByText(EncryptionService.LossAcknowledgement).ClickAsync();
        await Assertions.Expect(confirm).ToBeDisabledAsync();
        await page.GetByText(EncryptionService.BackupAcknowledgement).ClickAsync();
        await admin.ScreenshotAsync("72-confirm-backup-dialog");
        await confirm.ClickAsync();
        await Assertions.Expect(page.Locator("[data-action=acknowledge]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-encryption-banner]")).ToHaveCountAsync(0);
        await admin.GotoAsync("/");
        await Assertions.Expect(page.Locator("[data-encryption-banner]")).ToHaveCountAsync(0);

        // A new key, made active at once.
        await admin.GotoAsync("/config/encryption");
        await page.Locator("#generate-key").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("generates a new RSA-3072 key file");
        await page.GetByText(EncryptionService.LossAcknowledgement).ClickAsync();
        await page.GetByText(EncryptionService.BackupAcknowledgement).ClickAsync();
        await admin.ScreenshotAsync("73-generate-key-dialog");
        await page.Locator("#confirm-key").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        var old = page.Locator($"tr[data-certificate='{firstThumbprint}']");
        var active = page.Locator("tr[data-active='true']");
        await Assertions.Expect(old).ToContainTextAsync("Unwrap only");
        await Assertions.Expect(old.Locator("[data-action=remove]")).ToBeDisabledAsync();
        await Assertions.Expect(active.Locator("[data-secret-count]")).ToHaveTextAsync("0");
        await Assertions
            .Expect(page.Locator("#rewrap-status"))
            .ToContainTextAsync($"0 of {SecretCount} secrets are wrapped by the active certificate");
        await admin.ScreenshotAsync("74-two-certificates-before-rewrap");

        // Re-wrap runs as a job; the bar follows it live.
        // 1,500 secrets take about a second: the picture usually catches the bar mid-way, the test only the end.
        await page.Locator("#start-rewrap").ClickAsync();
        await admin.ScreenshotAsync("75-rewrap-in-progress");
        await Assertions
            .Expect(page.Locator("#rewrap-status"))
            .ToContainTextAsync(
                $"{SecretCount} of {SecretCount} secrets are wrapped by the active certificate.",
                new() { Timeout = 60_000 }
            );
        await Assertions.Expect(old.Locator("[data-secret-count]")).ToHaveTextAsync("0");
        await Assertions.Expect(active.Locator("[data-secret-count]")).ToHaveTextAsync($"{SecretCount}");
        await Assertions.Expect(page.Locator("#rewrap-progress")).ToHaveAttributeAsync("aria-valuenow", "100");
        await admin.ScreenshotAsync("76-rewrap-done");

        await old.Locator("[data-action=remove]").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        Assert.Single(Directory.GetFiles(Path.Combine(_data.Path, "keys", KeyRingLoader.RetiredFolderName), "*.pfx"));
        await admin.ScreenshotAsync("77-old-key-retired");

        await using var scope = _app.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<SecretStore>();
        Assert.Equal("value-1234", await store.ReadAsync(new SecretSlot("test", "row-1234", "password"), CancellationToken.None));
    }

    [Fact]
    public async Task TheSmtpPassword_IsSetOnTheEmailPage_AndNeverShownAgain()
    {
        const string Password = "smtp-page-canary-51c0";
        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        var page = admin.Page;
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/config/email");
        var field = page.Locator("[data-secret-setting=SmtpPassword]");
        await Assertions.Expect(field.Locator("[data-secret-state]")).ToHaveTextAsync("Not set");

        await field.GetByLabel("Set SMTP password").FillAsync(Password);
        await page.Locator("#save-settings").ClickAsync();
        await Assertions.Expect(field.Locator("[data-secret-state]")).ToHaveTextAsync("Set");
        await Assertions.Expect(field.GetByLabel("Change SMTP password")).ToHaveValueAsync("");
        await admin.ScreenshotAsync("78-email-settings-smtp-password-set");

        await page.ReloadAsync();
        await admin.WaitForInteractiveAsync();
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);
        using var client = _app.CreateRealClient();
        Assert.True(
            await _app.AsSystemAsync<SettingsService, bool>(s => s.IsSecretSetAsync<EmailSettings>(EmailSettings.SmtpPasswordName))
        );

        await page.Locator("[data-secret-setting=SmtpPassword]").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-secret-setting=SmtpPassword] [data-secret-state]")).ToHaveTextAsync("Not set");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _data.Dispose();
    }
}
