using System.Diagnostics;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Settings.EndToEnd;

/// <summary>Two nodes on one PostgreSQL database: an agent's page open on one follows an administrator's save on the other.</summary>
[Collection(EndToEndTests.Name)]
public sealed class LiveSettingsAcrossNodesTests(BrowserFixture browser, PostgresServer postgres) : IAsyncLifetime
{
    private TestDatabase _database = default!;
    private AppFactory _first = default!;
    private AppFactory _second = default!;
    private int _ticket;

    public async ValueTask InitializeAsync()
    {
        _database = await postgres.CreateAsync();
        _first = new AppFactory(settings: new Dictionary<string, string?>(_database.Configuration));
        _second = new AppFactory(settings: new Dictionary<string, string?>(_database.Configuration));
        await _first.CreateAdminAsync("ada@example.com");
        var acme = await _first.CreateCustomerAsync("Acme");
        var wile = await _first.CreatePortalUserAsync(acme, "Wile Coyote", "wile@acme.example");
        _ticket = await _first.CreateTicketAsync(acme, wile, "Guest Wi-Fi");
        await SaveTicketSettingsOnFirstAsync(secureMessages: true);
    }

    [Fact]
    public async Task TurningSecureMessagesOffOnOneNode_RemovesTheTicketActionFromAPageOpenOnTheOther_WithinTwoSeconds()
    {
        await using var agent = await BrowserSession.OpenAsync(browser, _second.StartAndGetAddress());
        var page = agent.Page;
        await agent.SignInAsync("ada@example.com");
        await agent.GotoAsync($"/tickets/{_ticket}");
        await page.Locator("#ticket-actions button").First.ClickAsync();
        await Assertions.Expect(page.Locator("#action-secure-message")).ToBeVisibleAsync();

        var clock = Stopwatch.StartNew();
        await SaveTicketSettingsOnFirstAsync(secureMessages: false);
        await Assertions.Expect(page.Locator("#action-secure-message")).ToHaveCountAsync(0, new() { Timeout = 2_000 });
        clock.Stop();

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Saved on one node, gone from the other's page after {clock.ElapsedMilliseconds} ms"
        );
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.ElapsedMilliseconds} ms");
        await Assertions.Expect(page.Locator("#action-edit")).ToBeVisibleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<bool> SaveTicketSettingsOnFirstAsync(bool secureMessages) =>
        _first.AsSystemAsync<SettingsService, bool>(async s =>
        {
            var tickets = await s.GetAsync<TicketSettings>();
            tickets.SecureMessagesEnabled = secureMessages;
            await s.SaveAsync(tickets);
            return true;
        });
}
