using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.EndToEnd;

/// <summary>
/// An administrator opens Configuration &gt; Agent groups, finds the built-in group, and creates a narrower one: one agent,
/// two chosen customers, List on the Passwords table.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class AgentGroupsPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private string _address = "";
    private string _alex = "";
    private int _acme;
    private int _globex;

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        _alex = await _app.CreateAgentAsync("Alex Agent", "alex@example.com");
        await _app.CreateAgentAsync("Sam Support", "sam@example.com");
        _acme = await _app.CreateCustomerAsync("Acme");
        _globex = await _app.CreateCustomerAsync("Globex");
        await _app.CreateCustomerAsync("Initech");
    }

    [Fact]
    public async Task AnAdminCreatesAGroupWithOneAgentTwoCustomersAndListOnPasswords_AndCoreStoresIt()
    {
        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        var page = admin.Page;
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/config");
        await page.Locator("#config-agent-groups").ClickAsync();
        await admin.WaitForInteractiveAsync();
        var builtIn = page.Locator($"td[data-group='{AgentGroup.BuiltInName}']");
        await Assertions.Expect(builtIn).ToContainTextAsync("Built in");
        await Assertions.Expect(page.Locator("#group-table tbody tr").First).ToContainTextAsync("All customers");

        await page.Locator("#new-group").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.Locator("#group-name").FillAsync("Tier 1");
        await dialog.Locator("div.mud-select").Filter(new() { HasText = "Members" }).Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Alex Agent" }).ClickAsync();
        await dialog.Locator(".mud-dialog-title").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);

        await dialog.Locator("label").Filter(new() { HasText = "Chosen customers" }).ClickAsync();
        foreach (var customer in new[] { "Acme", "Globex" })
        {
            await dialog.GetByLabel("Add a customer").FillAsync(customer);
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = customer }).ClickAsync();
            await Assertions.Expect(dialog.Locator($"[data-picked-customer='{customer}']")).ToBeVisibleAsync();
            await Assertions.Expect(dialog.GetByLabel("Add a customer")).ToHaveValueAsync("");
        }

        await dialog.Locator("[data-table-level='Passwords'] div.mud-select").Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "List" }).ClickAsync();
        await Assertions.Expect(dialog.Locator("[data-table-level='Passwords']")).ToContainTextAsync("Rows without passwords.");
        await admin.ScreenshotAsync("140-agent-group-dialog");
        await dialog.GetByText("Can approve access requests").ScrollIntoViewIfNeededAsync();
        await admin.ScreenshotAsync("141-agent-group-dialog-end");
        await dialog.Locator("#save-group").ClickAsync();

        var tier1 = page.Locator("#group-table tbody tr").Filter(new() { HasText = "Tier 1" });
        await Assertions.Expect(tier1).ToContainTextAsync("2");
        await Assertions.Expect(tier1.Locator("[aria-label='Delete Tier 1']")).ToBeVisibleAsync();
        await Assertions.Expect(builtIn.Locator("xpath=..").Locator("[data-action=delete-group]")).ToHaveCountAsync(0);
        await admin.ScreenshotAsync("142-agent-groups");

        var groups = await _app.AsSystemAsync<AgentGroupService, IReadOnlyList<AgentGroupSummary>>(s => s.ListAsync());
        var id = Assert.Single(groups, g => g.Name == "Tier 1").Id;
        var stored = await _app.AsSystemAsync<AgentGroupService, AgentGroupDetails>(s => s.GetAsync(id));
        Assert.Equal([_alex], stored.Members.Select(m => m.UserId));
        Assert.False(stored.AllCustomers);
        Assert.Equal([_acme, _globex], stored.Customers.Select(c => c.Id).Order());
        Assert.Equal(AccessLevel.List, stored.Tables.Single(t => t.TableId == PasswordsTable).Level);
        Assert.False(stored.CanApprove);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
