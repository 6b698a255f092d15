using System.Net;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Hosting.Web;

public sealed class SignInRateLimitTests
{
    [Fact]
    public async Task SignInPosts_BeyondTheLimitPerMinute_AreRefusedWith429()
    {
        await using var app = new AppFactory(new Dictionary<string, string?> { ["RateLimiting:SignInPerMinute"] = "3" });
        await app.CreateAdminAsync("ada@example.com");
        using var client = app.CreateRealClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await HttpForms.SignInAsync(client, "ada@example.com", "wrong password " + i)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login")).StatusCode);
    }
}
