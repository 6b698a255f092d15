using System.Net;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Hosting.Web;

public sealed class RestartTests
{
    [Fact]
    public async Task SignInCookies_SurviveARestart_BecauseTheKeysLiveInTheKeyDirectory()
    {
        using var data = new TempDirectory();
        var cookies = new CookieContainer();

        await using (var first = new AppFactory(data: data))
        {
            await first.CreateAdminAsync("ada@example.com");
            using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
            {
                BaseAddress = new Uri(first.StartAndGetAddress()),
            };
            Assert.Equal(HttpStatusCode.Redirect, (await HttpForms.SignInAsync(client, "ada@example.com")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/customers")).StatusCode);
        }

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(data.Path, "keys", "dataprotection"), "key-*.xml"));

        await using var second = new AppFactory(data: data);
        using var again = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(second.StartAndGetAddress()),
        };
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/customers")).StatusCode);
    }
}
