using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.EndToEnd;

/// <summary>
/// Two agents in different groups and an administrator, in separate browsers: the out-of-scope customer is absent and its
/// URL says not found; List shows the password masked with Request access; the administrator approves on the access
/// requests page and the agent's open page gains the eye within two seconds; when the grant's time is up (a clock the test
/// moves) the eye goes by itself.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class AccessRequestFlowTests : IAsyncLifetime
{
    private const string Password = "Grant canary 7c1e-Acme!";
    private static readonly TimeSpan WithinTwoSeconds = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly AppFactory _app;
    private string _address = "";
    private int _acme;
    private int _globex;

    private readonly BrowserFixture _browser;

    public AccessRequestFlowTests(BrowserFixture browser)
    {
        _browser = browser;

        // The application's clock, which the test moves to the grant's end; sign-in cookies are still far from expiring.
        _app = new AppFactory(services: s => s.AddSingleton<TimeProvider>(_clock));
    }

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        var sam = await _app.CreateAgentAsync("Sam Support", "sam@example.com");
        var gina = await _app.CreateAgentAsync("Gina Globex", "gina@example.com");
        _acme = await _app.CreateCustomerAsync("Acme");
        _globex = await _app.CreateCustomerAsync("Globex");
        await _app.AsSystemAsync<CustomerVaultService, int>(s =>
            s.CreateRowAsync(
                _acme,
                PasswordsTable,
                new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = "admin@acme", [PasswordField] = Password })
            )
        );
        await _app.AsSystemAsync<AgentGroupService, bool>(async s =>
        {
            await s.UpdateAsync(
                AgentGroup.BuiltInId,
                new AgentGroupInput { Name = AgentGroup.BuiltInName, OtherTables = AccessLevel.Manage }
            );
            await s.CreateAsync(Group("Tier 1", sam, _acme, AccessLevel.List));
            await s.CreateAsync(Group("Globex desk", gina, _globex, AccessLevel.Manage));
            return true;
        });
    }

    [Fact]
    public async Task ListShowsRequestAccess_AnApprovalInAnotherBrowserBringsTheEye_AndTheEndTakesItAway()
    {
        await using var agent = await BrowserSession.OpenAsync(_browser, _address);
        await using var admin = await BrowserSession.OpenAsync(_browser, _address);
        var page = agent.Page;
        await agent.SignInAsync("sam@example.com");
        await agent.GotoAsync("/customers");
        await Assertions.Expect(page.Locator("#customer-table")).ToContainTextAsync("Acme");
        await Assertions.Expect(page.Locator("#customer-table")).Not.ToContainTextAsync("Globex");
        await agent.GotoAsync($"/customers/{_globex}");
        await Assertions.Expect(page.Locator(".mud-alert")).ToContainTextAsync("This customer does not exist");

        await agent.GotoAsync($"/customers/{_acme}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
        var cell = page.Locator("[data-secret-cell]").First;
        await Assertions.Expect(cell.Locator("[data-action=reveal]")).ToHaveCountAsync(0);
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/customers");
        await Assertions.Expect(admin.Page.Locator("#notice-bell")).ToBeVisibleAsync();

        // By keyboard: the button opens the dialog with the focus inside it, and Tab reaches the reason first.
        await cell.Locator("[data-action=request-access]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".mud-dialog .mud-focus-trap :focus")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".mud-dialog .mud-input-error")).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#access-reason")).ToBeFocusedAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.Locator("#access-reason").FillAsync("Ticket #4711: domain controller reboot");
        await dialog.GetByText("4 hours").ClickAsync();
        await agent.ScreenshotAsync("150-request-access-dialog");
        await dialog.Locator("#send-access-request").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(cell.Locator("[data-access=pending]")).ToBeVisibleAsync(new() { Timeout = Ms(WithinTwoSeconds) });
        await agent.ScreenshotAsync("151-access-requested");

        // The administrator's open page: the bell counts the request within two seconds, and its notice opens the requests.
        await Assertions
            .Expect(admin.Page.Locator("[data-unread]"))
            .ToHaveAttributeAsync("data-unread", "1", new() { Timeout = Ms(WithinTwoSeconds) });
        await admin.Page.Locator("#notice-bell button").First.ClickAsync();
        var notice = admin.Page.Locator("[data-notice]").First;
        await Assertions.Expect(notice).ToContainTextAsync("Sam Support asks for 4 hours of access");
        await admin.ScreenshotAsync("155-access-request-notice");
        await notice.ClickAsync();
        await admin.Page.WaitForURLAsync(url => url.EndsWith("/access-requests", StringComparison.Ordinal));
        await Assertions.Expect(admin.Page.Locator("[data-unread]")).ToHaveAttributeAsync("data-unread", "0");
        var request = admin.Page.Locator("#to-decide tbody tr").First;
        await Assertions.Expect(request).ToContainTextAsync("Sam Support");
        await Assertions.Expect(request).ToContainTextAsync("Ticket #4711: domain controller reboot");
        await Assertions.Expect(request).ToContainTextAsync("Password of admin@acme");
        await admin.ScreenshotAsync("152-access-requests-to-decide");
        await request.Locator("[data-action=approve]").ClickAsync();
        await Assertions.Expect(admin.Page.Locator("#to-decide")).ToContainTextAsync("No request is waiting");

        await Assertions.Expect(cell.Locator("[data-action=reveal]")).ToBeVisibleAsync(new() { Timeout = Ms(WithinTwoSeconds) });
        await Assertions.Expect(page.Locator("[data-access=granted]")).ToContainTextAsync("Your access ends");
        await cell.Locator("[data-action=reveal]").ClickAsync();
        await Assertions.Expect(cell).ToContainTextAsync(Password);
        await agent.ScreenshotAsync("153-access-granted");

        _clock.Advance(TimeSpan.FromHours(4).Add(TimeSpan.FromSeconds(1)));
        await Assertions.Expect(cell.Locator("[data-action=reveal]")).ToHaveCountAsync(0, new() { Timeout = Ms(WithinTwoSeconds) });
        await Assertions.Expect(cell).Not.ToContainTextAsync(Password);
        await Assertions.Expect(cell.Locator("[data-action=request-access]")).ToBeVisibleAsync();
        await agent.GotoAsync("/access-requests");
        await Assertions.Expect(page.Locator("#my-requests [data-state]").First).ToContainTextAsync("Ended");
        await Assertions.Expect(page.Locator("#my-requests [data-state]").First).ToContainTextAsync("used once");
        await agent.ScreenshotAsync("154-my-access-requests");
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);

        // The canary was revealed through the grant: it reached no log and no database file in clear.
        Assert.DoesNotContain(Password, _app.Logs.All, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(_app.DataDirectory, "db")))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            Assert.DoesNotContain(Password, await reader.ReadToEndAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;

    private static AgentGroupInput Group(string name, string member, int customer, AccessLevel level) =>
        new()
        {
            Name = name,
            AllCustomers = false,
            CustomerIds = [customer],
            MemberIds = [member],
            OtherTables = AccessLevel.None,
            TableLevels = new() { [PasswordsTable] = level },
        };
}
