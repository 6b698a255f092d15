using System.Net;
using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Tests.Accounts.Web;

/// <summary>Over real HTTP against the app on Kestrel, on each database: where each kind of visitor ends up.</summary>
public abstract class FirstRunAndAccessTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private TestDatabase _database = default!;
    private AppFactory _app = default!;

    public async ValueTask InitializeAsync()
    {
        _database = await databases.CreateAsync();
        _app = new AppFactory(settings: new Dictionary<string, string?>(_database.Configuration));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/customers")]
    [InlineData("/portal/tickets")]
    [InlineData("/Account/Login")]
    public async Task BeforeSetup_EveryPageLeadsToTheSetupPage(string path)
    {
        using var client = _app.CreateRealClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/setup", response.Headers.Location?.OriginalString);
        Assert.Contains("Create the first administrator", await client.GetStringAsync("/setup"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupPage_CreatesTheAdministrator_ThenIsGoneForGood()
    {
        using var client = _app.CreateRealClient();

        var created = await HttpForms.SubmitAsync(
            client,
            "/setup",
            "setup",
            new Dictionary<string, string>
            {
                ["Input.DisplayName"] = "Ada Admin",
                ["Input.Email"] = "ada@example.com",
                ["Input.Password"] = TestPasswords.Default,
                ["ConfirmPassword"] = TestPasswords.Default,
            }
        );

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        using var stranger = _app.CreateRealClient();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/setup")).StatusCode);
        var again = await stranger.PostAsync(
            "/setup",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "mallory@example.com" })
        );
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var users = await _app.AsSystemAsync<IDbContextFactory<BlazorVaultDbContext>, List<string?>>(async factory =>
        {
            await using var db = await factory.CreateDbContextAsync();
            Assert.Equal(databases.Provider == DatabaseProvider.Sqlite, db.Database.IsSqlite());
            return await db.Users.Select(u => u.Email).ToListAsync();
        });
        Assert.Equal(["ada@example.com"], users);
    }

    [Fact]
    public async Task AfterSetup_AnonymousVisitorsAreSentToSignIn()
    {
        await _app.CreateAdminAsync("ada@example.com");
        using var client = _app.CreateRealClient();

        var response = await client.GetAsync("/tickets");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachRole_ReachesItsOwnAreaAndIsRefusedTheOthers()
    {
        await _app.CreateAdminAsync("ada@example.com");
        var acme = await _app.CreateCustomerAsync("Acme");
        await _app.CreatePortalUserAsync(acme, "Wile", "wile@acme.example");
        await _app.AsSystemAsync<BlazorVault.Core.Accounts.AgentService, string>(s =>
            s.CreateAsync(
                new BlazorVault.Core.Accounts.Models.NewAccountInput
                {
                    DisplayName = "Alex",
                    Email = "alex@example.com",
                    Password = TestPasswords.Default,
                },
                isAdmin: false
            )
        );

        Assert.Equal(
            [("/customers", "ok"), ("/config/agents", "ok"), ("/portal", "denied")],
            await VisitAsync("ada@example.com", "/customers", "/config/agents", "/portal")
        );
        Assert.Equal(
            [("/customers", "ok"), ("/tickets", "ok"), ("/config", "denied"), ("/config/agents", "denied")],
            await VisitAsync("alex@example.com", "/customers", "/tickets", "/config", "/config/agents")
        );
        Assert.Equal(
            [("/portal", "ok"), ("/portal/tickets", "ok"), ("/customers", "denied"), ("/tickets/new", "denied"), ("/config", "denied")],
            await VisitAsync("wile@acme.example", "/portal", "/portal/tickets", "/customers", "/tickets/new", "/config")
        );
    }

    [Fact]
    public async Task WrongPasswords_LockNewSignInsAfterFiveAttempts_ButNotTheOwnersOpenSession()
    {
        await _app.CreateAdminAsync("ada@example.com");
        using var owner = _app.CreateRealClient();
        await HttpForms.SignInAsync(owner, "ada@example.com");
        using var client = _app.CreateRealClient();

        for (var i = 0; i < 4; i++)
        {
            var failed = await HttpForms.SignInAsync(client, "ada@example.com", "wrong password " + i);
            Assert.Contains("The email or password is incorrect.", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var fifth = await HttpForms.SignInAsync(client, "ada@example.com", "wrong password 5");
        var rightPasswordTooLate = await HttpForms.SignInAsync(client, "ada@example.com");

        Assert.Equal("/Account/Lockout", fifth.Headers.Location?.AbsolutePath);
        Assert.Equal("/Account/Lockout", rightPasswordTooLate.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/customers")).StatusCode);
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("/\\evil.example")]
    public async Task SignIn_WithAnOffSiteReturnUrl_SignsInAndStaysOnSite(string returnUrl)
    {
        await _app.CreateAdminAsync("ada@example.com");
        using var client = _app.CreateRealClient();

        var response = await HttpForms.SubmitAsync(
            client,
            $"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}",
            "login",
            new Dictionary<string, string> { ["Input.Email"] = "ada@example.com", ["Input.Password"] = TestPasswords.Default }
        );

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri(client.BaseAddress!, "/"), new Uri(client.BaseAddress!, response.Headers.Location!));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/customers")).StatusCode);
    }

    [Fact]
    public async Task SignOut_WithAnOffSiteReturnUrl_SignsOutAndGoesHome()
    {
        await _app.CreateAdminAsync("ada@example.com");
        using var client = _app.CreateRealClient();
        await HttpForms.SignInAsync(client, "ada@example.com");
        var html = await client.GetStringAsync("/Account/Manage");
        var token = System
            .Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")
            .Groups[1]
            .Value;

        var response = await client.PostAsync(
            "/Account/Logout",
            new FormUrlEncodedContent(
                new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["ReturnUrl"] = "\\evil.example" }
            )
        );

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/customers")).StatusCode);
    }

    [Fact]
    public async Task SetupPost_WithoutAntiforgeryToken_IsRefusedAndCreatesNobody()
    {
        using var client = _app.CreateRealClient();

        var response = await client.PostAsync(
            "/setup",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["_handler"] = "setup",
                    ["Input.DisplayName"] = "Mallory",
                    ["Input.Email"] = "mallory@example.com",
                    ["Input.Password"] = TestPasswords.Default,
                    ["ConfirmPassword"] = TestPasswords.Default,
                }
            )
        );

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("/setup", (await client.GetAsync("/")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task PortalTicketList_WithAnAbsurdPageNumber_AnswersNormally()
    {
        await _app.CreateAdminAsync("ada@example.com");
        var acme = await _app.CreateCustomerAsync("Acme");
        await _app.CreatePortalUserAsync(acme, "Wile", "wile@acme.example");
        using var client = _app.CreateRealClient();
        await HttpForms.SignInAsync(client, "wile@acme.example");

        var response = await client.GetAsync("/portal/tickets?page=85899347");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(string Path, string Result)[]> VisitAsync(string email, params string[] paths)
    {
        using var client = _app.CreateRealClient();
        var signIn = await HttpForms.SignInAsync(client, email);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var results = new List<(string, string)>();
        foreach (var path in paths)
        {
            var response = await client.GetAsync(path);
            var location = response.Headers.Location?.OriginalString ?? "";
            results.Add(
                (
                    path,
                    response.StatusCode == HttpStatusCode.OK ? "ok"
                    : location.Contains("/Account/AccessDenied", StringComparison.Ordinal) ? "denied"
                    : $"{(int)response.StatusCode} {location}"
                )
            );
        }

        return [.. results];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : FirstRunAndAccessTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : FirstRunAndAccessTests(postgres);
}
