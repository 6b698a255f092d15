using BlazorVault.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Jobs.EndToEnd;

[Collection(EndToEndTests.Name)]
public sealed class JobsPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private string _address = "";

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
    }

    [Fact]
    public async Task RunNow_VerifiesTheChain_AndAfterTamperingAdminsSeeABanner()
    {
        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        var page = admin.Page;
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/config/jobs");
        var row = page.Locator("tr[data-job='audit-verify']");
        await Assertions.Expect(row).ToContainTextAsync("Audit chain verification");
        await Assertions.Expect(row).ToContainTextAsync("Every night at 02:30 UTC");
        await Assertions.Expect(row).ToContainTextAsync("Never");
        await Assertions.Expect(row.Locator("td").Nth(5)).ToContainTextAsync("02:30 UTC");

        await page.Locator("#run-audit-verify").ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("chain intact (", new() { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync("OK");
        await admin.ScreenshotAsync("60-jobs-ok");
        await Assertions.Expect(page.Locator("#audit-chain-banner")).ToHaveCountAsync(0);

        await using (
            var connection = new SqliteConnection($"Data Source={Path.Combine(_app.DataDirectory, "db", "blazorvault.db")};Pooling=False")
        )
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE AuditEvents SET ActorName = 'Mallory' WHERE Sequence = 1";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await page.Locator("#run-audit-verify").ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("chain broken at event 1", new() { Timeout = 30_000 });
        await Assertions.Expect(row).ToContainTextAsync("Error");

        await admin.GotoAsync("/");
        await Assertions.Expect(page.Locator("#audit-chain-banner")).ToContainTextAsync("chain broken at event 1");
        await admin.ScreenshotAsync("61-admin-banner-chain-broken");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
