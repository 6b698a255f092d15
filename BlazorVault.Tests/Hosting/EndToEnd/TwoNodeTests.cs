using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Jobs.Entities;
using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Core.Tickets;
using BlazorVault.Core.Tickets.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Hosting.EndToEnd;

/// <summary>The cluster of docs/scale-out.md, its data arranged once: an admin, an agent, a customer with a ticket and passwords.</summary>
public sealed class TwoNodeFixture(PostgresServer postgres) : IAsyncLifetime
{
    public const int Passwords = 4;

    public TwoNodeCluster Cluster { get; private set; } = default!;

    public int Acme { get; private set; }

    public int Ticket { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Cluster = await TwoNodeCluster.StartAsync(postgres);
        var core = Cluster.Core;
        await Cluster.CreateAdminAsync("ada@example.com");
        await core.CreateAgentAsync("alex@example.com");
        Acme = await core.CreateCustomerAsync("Acme");
        var wile = await core.CreatePortalUserAsync(Acme, "wile@acme.example");
        Ticket = await core.AsSystemAsync(() =>
            core.Get<TicketService>()
                .CreateAsync(
                    new NewTicketInput
                    {
                        CustomerId = Acme,
                        RequesterId = wile,
                        Subject = "Door codes",
                        Description = "Please send the door codes.",
                    }
                )
        );
        for (var i = 0; i < Passwords; i++)
        {
            var index = i;
            await core.AsSystemAsync(() =>
                core.Get<CustomerVaultService>()
                    .CreateRowAsync(
                        Acme,
                        PasswordsTable,
                        new VaultRowInput(
                            new Dictionary<int, string?> { [UsernameField] = $"svc-{index}", [PasswordField] = $"Two-node canary {index}!" }
                        )
                    )
            );
        }
    }

    public Task SetSecureMessagesAsync(bool enabled) =>
        Cluster.Core.AsSystemAsync(async () =>
        {
            var settings = Cluster.Core.Get<SettingsService>();
            var tickets = await settings.GetAsync<TicketSettings>();
            tickets.SecureMessagesEnabled = enabled;
            await settings.SaveAsync(tickets);
            return true;
        });

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Two node processes on one PostgreSQL database behind the product's nginx configuration, driven over HTTPS by HTTP
/// clients and Chromium, each pinned to a node by the affinity cookie nginx hands out.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed partial class TwoNodeTests(BrowserFixture browser, TwoNodeFixture fixture) : IClassFixture<TwoNodeFixture>
{
    private TwoNodeCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ASignInThroughNodeA_KeepsWorking_WhenNginxSendsTheNextRequestsToNodeB()
    {
        var (client, cookies) = Cluster.CreateClient(Cluster.NodeA);
        using (client)
        {
            using var signIn = await HttpForms.SubmitAsync(
                client,
                "/Account/Login?step=sign-in-a",
                "login",
                new Dictionary<string, string> { ["Input.Email"] = "alex@example.com", ["Input.Password"] = TestPasswords.Default }
            );
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

            Cluster.PinCookies(cookies, Cluster.NodeB);
            using var tickets = await client.GetAsync("/tickets?step=on-b");
            Assert.Equal(HttpStatusCode.OK, tickets.StatusCode);
            Assert.Contains("id=\"ticket-table\"", await tickets.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal([Cluster.NodeA.Endpoint, Cluster.NodeA.Endpoint], await Cluster.Nginx.NodesThatServedAsync("step=sign-in-a "));
        Assert.Equal([Cluster.NodeB.Endpoint], await Cluster.Nginx.NodesThatServedAsync("step=on-b "));

        // In Chromium: signed in on node A, the next page and its interactive circuit come from node B.
        await using var agent = await Cluster.OpenBrowserAsync(browser, Cluster.NodeA);
        await agent.SignInAsync("alex@example.com");
        await Cluster.PinAsync(agent, Cluster.NodeB);
        await agent.GotoAsync($"/customers/{fixture.Acme}?step=browser-on-b");
        await agent.Page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
        await agent.Page.GetByRole(AriaRole.Button, new() { Name = "Reveal password for svc-0", Exact = true }).ClickAsync();
        await Assertions.Expect(agent.Page.Locator("[data-secret-value=shown]")).ToHaveTextAsync("Two-node canary 0!");
        Assert.Equal([Cluster.NodeB.Endpoint], await Cluster.Nginx.NodesThatServedAsync("step=browser-on-b "));
        await agent.ScreenshotAsync("two-nodes-reveal-on-node-b");
    }

    [Fact]
    public async Task AMessageCreatedOnNodeA_IsRedeemedThroughNodeB_AndFortySimultaneousViewsOnBothNodesGiveOneContent()
    {
        await fixture.SetSecureMessagesAsync(true);
        var first = await CreateMessageOnNodeAsync(Cluster.NodeA, "Door code: two-node-canary-1");
        var (recipient, _) = Cluster.CreateClient(Cluster.NodeB);
        using (recipient)
        {
            Assert.Equal("Door code: two-node-canary-1", await RedeemAsync(recipient, first, "redeem-b"));
        }

        Assert.Equal(2, (await Cluster.Nginx.NodesThatServedAsync("step=redeem-b ")).Count(n => n == Cluster.NodeB.Endpoint));

        var second = await CreateMessageOnNodeAsync(Cluster.NodeA, "Door code: two-node-canary-2");
        var clients = Enumerable.Range(0, 40).Select(i => Cluster.CreateClient(i % 2 == 0 ? Cluster.NodeA : Cluster.NodeB).Client).ToList();
        try
        {
            var pages = await Task.WhenAll(clients.Select(c => c.GetStringAsync(second.Split('#')[0] + "?step=page")));
            var views = await Task.WhenAll(
                clients.Select(
                    (c, i) =>
                        Task.Run(async () => await (await PostViewAsync(c, second, Token(pages[i]), "view")).Content.ReadAsStringAsync())
                )
            );

            var shown = Assert.Single(views, v => v.Contains("two-node-canary-2", StringComparison.Ordinal));
            Assert.Contains("id=\"secure-content\"", shown, StringComparison.Ordinal);
            // The 39 that lose the race see the page's own answer, not an error.
            Assert.Equal(39, views.Count(v => v.Contains("id=\"secure-unavailable\"", StringComparison.Ordinal)));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        var served = await Cluster.Nginx.NodesThatServedAsync("step=view ");
        Assert.Equal((20, 20), (served.Count(n => n == Cluster.NodeA.Endpoint), served.Count(n => n == Cluster.NodeB.Endpoint)));
    }

    [Fact]
    public async Task ASettingChangedOnNodeA_RemovesTheTicketActionFromAnOpenPageOnNodeB_WithinTwoSeconds()
    {
        await fixture.SetSecureMessagesAsync(true);
        await using var agent = await Cluster.OpenBrowserAsync(browser, Cluster.NodeB);
        await agent.SignInAsync("alex@example.com");
        await agent.GotoAsync($"/tickets/{fixture.Ticket}");
        await agent.Page.Locator("#ticket-actions button").First.ClickAsync();
        await Assertions.Expect(agent.Page.Locator("#action-secure-message")).ToBeVisibleAsync();

        await using var admin = await Cluster.OpenBrowserAsync(browser, Cluster.NodeA);
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/config/tickets?step=settings-a");
        await admin.Page.GetByText("Enable secure message links").ClickAsync();
        var clock = Stopwatch.StartNew();
        await admin.Page.Locator("#save-settings").ClickAsync();

        await Assertions.Expect(agent.Page.Locator("#action-edit")).ToBeVisibleAsync();
        await Assertions.Expect(agent.Page.Locator("#action-secure-message")).ToHaveCountAsync(0, new() { Timeout = 2_000 });
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.ElapsedMilliseconds} ms");
        Assert.Equal([Cluster.NodeA.Endpoint], await Cluster.Nginx.NodesThatServedAsync("step=settings-a "));
        await agent.ScreenshotAsync("two-nodes-live-setting-on-node-b");
    }

    [Fact]
    public async Task ConcurrentRevealsOnBothNodes_LeaveAnIntactAuditChain_WithEveryReveal()
    {
        await using var onA = await Cluster.OpenBrowserAsync(browser, Cluster.NodeA);
        await using var onB = await Cluster.OpenBrowserAsync(browser, Cluster.NodeB);
        var before = await CountRevealsAsync();

        await Task.WhenAll(RevealEveryPasswordAsync(onA), RevealEveryPasswordAsync(onB));

        Assert.Equal(before + (2 * TwoNodeFixture.Passwords * 3), await CountRevealsAsync());
        var verification = await Cluster.Core.AsSystemAsync(() => Cluster.Core.Get<AuditVerifier>().VerifyAsync());
        Assert.True(verification.IsIntact, verification.ToString());
    }

    [Fact]
    public async Task TheEveryMinuteExpiryJob_RunsOncePerFiring_OnOneOfTheTwoNodeProcesses()
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        List<List<JobRun>> firings;
        do
        {
            await Task.Delay(1000);
            await using var db = await Cluster.Core.OpenDbAsync();
            var runs = await db.JobRuns.AsNoTracking().Where(r => r.JobKey == SecureMessageExpirySweep.JobKey).ToListAsync();
            firings = [.. runs.GroupBy(r => r.StartedAt.Ticks / TimeSpan.TicksPerMinute).Select(g => g.ToList())];
        } while (firings.Count < 2 && DateTime.UtcNow < deadline);

        Assert.True(firings.Count >= 2, $"{firings.Count} firing(s) in 3 minutes");
        Assert.All(firings, runs => Assert.Matches("^node-[ab]$", Assert.Single(runs).Node));
    }

    /// <summary>Three rounds of revealing each of the customer's passwords, as fast as the page allows.</summary>
    private async Task RevealEveryPasswordAsync(BrowserSession session)
    {
        await session.SignInAsync("alex@example.com");
        await session.GotoAsync($"/customers/{fixture.Acme}");
        await session.Page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < TwoNodeFixture.Passwords; i++)
            {
                var row = session.Page.Locator("tr", new() { Has = session.Page.GetByText($"svc-{i}", new() { Exact = true }) });
                var reveal = session.Page.GetByRole(AriaRole.Button, new() { Name = $"Reveal password for svc-{i}", Exact = true });
                await reveal.ClickAsync();
                await Assertions.Expect(row.Locator("[data-secret-value=shown]")).ToHaveTextAsync($"Two-node canary {i}!");
                await session.Page.GetByRole(AriaRole.Button, new() { Name = $"Hide password for svc-{i}", Exact = true }).ClickAsync();
                await Assertions.Expect(reveal).ToBeVisibleAsync();
            }
        }
    }

    private async Task<int> CountRevealsAsync()
    {
        await using var db = await Cluster.Core.OpenDbAsync();
        return await db.AuditEvents.CountAsync(e => e.Action == AuditActions.SecretRevealed);
    }

    /// <summary>An agent on <paramref name="node"/> creates the link from the ticket's menu; returns its path and fragment.</summary>
    private async Task<string> CreateMessageOnNodeAsync(AppProcess node, string content)
    {
        await using var agent = await Cluster.OpenBrowserAsync(browser, node);
        await agent.SignInAsync("alex@example.com");
        await agent.GotoAsync($"/tickets/{fixture.Ticket}?step=create-message");
        await agent.Page.Locator("#ticket-actions button").First.ClickAsync();
        await agent.Page.Locator("#action-secure-message").ClickAsync();
        await agent.Page.Locator("#secure-content-input").FillAsync(content);
        await agent.Page.Locator("#create-secure-link").ClickAsync();
        var link = await agent.Page.Locator("#secure-link").InputValueAsync();
        Assert.All(await Cluster.Nginx.NodesThatServedAsync("step=create-message "), n => Assert.Equal(node.Endpoint, n));
        return new Uri(link).PathAndQuery + new Uri(link).Fragment;
    }

    private static async Task<string> RedeemAsync(HttpClient client, string link, string step)
    {
        var page = await client.GetStringAsync($"{link.Split('#')[0]}?step={step}");
        using var response = await PostViewAsync(client, link, Token(page), step);
        var body = await response.Content.ReadAsStringAsync();
        return ContentPattern().Match(body) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : body;
    }

    private static Task<HttpResponseMessage> PostViewAsync(HttpClient client, string link, string token, string step) =>
        client.PostAsync(
            $"{link.Split('#')[0]}?step={step}",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["_handler"] = "redeem",
                    ["__RequestVerificationToken"] = token,
                    ["Input.Verifier"] = link.Split('#')[1],
                }
            )
        );

    private static string Token(string html) => TokenPattern().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("id=\"secure-content\"[^>]*>([^<]*)<")]
    private static partial Regex ContentPattern();
}
