using BlazorVault.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Quartz;

namespace BlazorVault.Tests.Jobs.EndToEnd;

/// <summary>
/// Two nodes on one PostgreSQL database, the administrator on node A whose scheduler stands by: "Run now" there is run by
/// node B, and node A's pages say so.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class ClusteredJobsPageTests(BrowserFixture browser, PostgresServer postgres) : IAsyncLifetime
{
    private TestDatabase _database = default!;
    private AppFactory _nodeA = default!;
    private AppFactory _nodeB = default!;
    private string _address = "";

    public async ValueTask InitializeAsync()
    {
        _database = await postgres.CreateAsync();
        _nodeA = Node("node-a");
        _address = _nodeA.StartAndGetAddress();
        _nodeB = Node("node-b");
        _nodeB.StartAndGetAddress();
        await _nodeA.CreateAdminAsync("ada@example.com");
        await (await _nodeA.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).Standby();
    }

    [Fact]
    public async Task RunNowOnNodeA_IsRunByNodeB_AndTheJobsPageAndAuditLogNameTheNodes()
    {
        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        var page = admin.Page;
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/config/jobs");
        await Assertions.Expect(page.Locator("#this-node")).ToHaveTextAsync("node-a");
        var row = page.Locator("tr[data-job='audit-verify']");

        await page.Locator("#run-audit-verify").ClickAsync();

        await Assertions.Expect(row).ToContainTextAsync("chain intact (", new() { Timeout = 30_000 });
        await Assertions.Expect(row.Locator("td[data-node]")).ToHaveTextAsync("node-b");
        await admin.ScreenshotAsync("62-jobs-run-by-another-node");

        await admin.GotoAsync("/config/audit");
        var requested = page.Locator("#audit-table tbody tr", new() { HasText = "job.run-requested" });
        await Assertions.Expect(requested).ToContainTextAsync("node-a");
        var verified = page.Locator("#audit-table tbody tr", new() { HasText = "audit.verified" });
        await Assertions.Expect(verified).ToContainTextAsync("node-b");
        await admin.ScreenshotAsync("63-audit-log-server");
    }

    public async ValueTask DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        await _database.DisposeAsync();
    }

    private AppFactory Node(string name) =>
        new(settings: new Dictionary<string, string?>(_database.Configuration) { ["Cluster:NodeName"] = name });
}
