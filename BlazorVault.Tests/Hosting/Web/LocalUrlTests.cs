using BlazorVault.Hosting;

namespace BlazorVault.Tests.Hosting.Web;

public sealed class LocalUrlTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/tickets/12")]
    [InlineData("Account/LoginWith2fa?returnUrl=%2Ftickets&rememberMe=False")]
    [InlineData("/search?q=a:b")]
    public void PathsOnThisSite_AreLocal(string? url) => Assert.True(LocalUrl.IsLocal(url));

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("http:evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    public void AnythingElse_IsNot(string url) => Assert.False(LocalUrl.IsLocal(url));
}
