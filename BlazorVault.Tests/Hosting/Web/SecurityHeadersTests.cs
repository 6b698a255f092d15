using System.Net;
using BlazorVault.Components.Audit.Admin;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Hosting.Web;

public sealed class SecurityHeadersTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();

    public async ValueTask InitializeAsync() => await _app.CreateAdminAsync("ada@example.com");

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/not-a-page")]
    [InlineData("/portal/secure/AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/account/password/AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/Account/ForgotPassword")]
    public async Task Pages_AreNotCachedIndexedFramedOrReferred_AndCarryACsp(string path)
    {
        using var client = _app.CreateRealClient();

        var response = await client.GetAsync(path);

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
        Assert.Equal("noindex, nofollow", Single(response, "X-Robots-Tag"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        var csp = Single(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditCsvExport_IsNeverStored_ThoughItsPathHasAnExtension()
    {
        using var client = _app.CreateRealClient();
        using var signIn = await HttpForms.SignInAsync(client, "ada@example.com");

        using var response = await client.GetAsync(AuditExportEndpoint.Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/favicon.png")]
    public async Task StaticFiles_KeepTheirOwnCaching(string path)
    {
        using var client = _app.CreateRealClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.CacheControl?.NoStore ?? false, $"{path}: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task SignInPage_HasAntiforgeryAndNeverEchoesAPassword()
    {
        using var client = _app.CreateRealClient();
        const string Canary = "canary-password-5f1d2e";

        var response = await HttpForms.SignInAsync(client, "ada@example.com", Canary);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("The email or password is incorrect.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, html, StringComparison.Ordinal);
        Assert.Contains("__RequestVerificationToken", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordAndSecureLinkPosts_ShareTheSignInRateLimit()
    {
        await using var app = new AppFactory(new Dictionary<string, string?> { ["RateLimiting:SignInPerMinute"] = "3" });
        await app.CreateAdminAsync("ada@example.com");
        using var client = app.CreateRealClient();
        var statuses = new List<int>();
        foreach (
            var path in new[]
            {
                "/Account/ForgotPassword",
                "/account/password/AAAAAAAAAAAAAAAAAAAAAA",
                "/portal/secure/AAAAAAAAAAAAAAAAAAAAAA",
                "/Account/ForgotPassword",
            }
        )
        {
            using var response = await client.PostAsync(
                path,
                new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "x@example.com" })
            );
            statuses.Add((int)response.StatusCode);
        }

        Assert.DoesNotContain(429, statuses.Take(3));
        Assert.Equal(429, statuses[3]);
    }

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : response.Content.Headers.GetValues(header));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
