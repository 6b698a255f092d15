using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.EndToEnd;

/// <summary>
/// An agent has a customer's password on screen when an administrator narrows their group: the open page loses the value
/// and the eye, then the tab, then the customer, each within two seconds and without a reload.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class LiveAccessTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "Live canary 3f9a-Acme!";
    private static readonly TimeSpan WithinTwoSeconds = TimeSpan.FromSeconds(2);

    private readonly AppFactory _app = new();
    private string _address = "";
    private string _sam = "";
    private int _acme;
    private int _group;

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        _sam = await _app.CreateAgentAsync("Sam Support", "sam@example.com");
        _acme = await _app.CreateCustomerAsync("Acme");
        await _app.AsSystemAsync<CustomerVaultService, int>(s =>
            s.CreateRowAsync(
                _acme,
                PasswordsTable,
                new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = "admin@acme", [PasswordField] = Password })
            )
        );
        await ChangeBuiltInAsync(members: []);
        _group = await _app.AsSystemAsync<AgentGroupService, int>(s => s.CreateAsync(Group(AccessLevel.Reveal, [_acme])));
    }

    [Fact]
    public async Task NarrowingTheGroup_HidesTheValueAndTheEye_ThenTheTab_ThenTheCustomer_OnTheOpenPage()
    {
        await using var agent = await BrowserSession.OpenAsync(browser, _address);
        var page = agent.Page;
        await agent.SignInAsync("sam@example.com");
        await agent.GotoAsync($"/customers/{_acme}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
        var cell = page.Locator("[data-secret-cell]").First;
        await cell.Locator("[data-action=reveal]").ClickAsync();
        await Assertions.Expect(cell).ToContainTextAsync(Password);

        await UpdateGroupAsync(AccessLevel.List, [_acme]);
        await Assertions.Expect(cell.Locator("[data-action=reveal]")).ToHaveCountAsync(0, new() { Timeout = Ms(WithinTwoSeconds) });
        await Assertions.Expect(cell.Locator("[data-action=copy]")).ToHaveCountAsync(0);
        await Assertions.Expect(cell).Not.ToContainTextAsync(Password);
        await Assertions.Expect(page.Locator("[data-vault-table]")).ToContainTextAsync("admin@acme");
        await Assertions.Expect(page.Locator("[data-vault-add]")).ToHaveCountAsync(0);
        await agent.ScreenshotAsync("143-passwords-tab-list-level");
        await page.Locator("[data-action=row-menu]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-action=edit]")).ToHaveCountAsync(0);
        await page.Locator("[data-action=row-access]").ClickAsync();
        var access = page.Locator(".mud-dialog");
        await Assertions.Expect(access.Locator("[data-row-access=groups]")).ToHaveTextAsync(AgentGroup.BuiltInName);
        await Assertions.Expect(access.Locator("[data-row-access=agents]")).ToHaveTextAsync("No agent.");
        await Assertions.Expect(access.Locator("[data-row-access=administrators]")).ToContainTextAsync("Ada");
        await Assertions.Expect(access.Locator("[data-row-access=last]")).ToContainTextAsync("by Sam Support");
        await agent.ScreenshotAsync("144-who-can-see-this");
        await access.Locator("#close-row-access").ClickAsync();
        await Assertions.Expect(access).ToHaveCountAsync(0);

        await UpdateGroupAsync(AccessLevel.None, [_acme]);
        await Assertions
            .Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }))
            .ToHaveCountAsync(0, new() { Timeout = Ms(WithinTwoSeconds) });
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Access log" })).ToHaveCountAsync(0);

        await UpdateGroupAsync(AccessLevel.None, []);
        await Assertions
            .Expect(page.Locator(".mud-alert"))
            .ToContainTextAsync("This customer does not exist", new() { Timeout = Ms(WithinTwoSeconds) });
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);

        await agent.GotoAsync("/customers");
        await Assertions.Expect(page.Locator("#customer-table")).ToContainTextAsync("No customers yet");
        await Assertions.Expect(page.Locator("#customer-table")).Not.ToContainTextAsync("Acme");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;

    private AgentGroupInput Group(AccessLevel level, List<int> customers) =>
        new()
        {
            Name = "Acme technicians",
            AllCustomers = false,
            CustomerIds = customers,
            MemberIds = [_sam],
            OtherTables = AccessLevel.None,
            TableLevels = new() { [PasswordsTable] = level },
        };

    private Task<bool> UpdateGroupAsync(AccessLevel level, List<int> customers) =>
        _app.AsSystemAsync<AgentGroupService, bool>(async s =>
        {
            await s.UpdateAsync(_group, Group(level, customers));
            return true;
        });

    private Task<bool> ChangeBuiltInAsync(List<string> members) =>
        _app.AsSystemAsync<AgentGroupService, bool>(async s =>
        {
            var builtIn = await s.GetAsync(AgentGroup.BuiltInId);
            await s.UpdateAsync(
                AgentGroup.BuiltInId,
                new AgentGroupInput
                {
                    Name = builtIn.Name,
                    AllCustomers = true,
                    OtherTables = builtIn.OtherTables,
                    MemberIds = members,
                }
            );
            return true;
        });
}
