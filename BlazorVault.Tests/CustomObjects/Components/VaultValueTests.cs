using BlazorVault.Components.CustomObjects;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Tests.Infrastructure;
using Bunit;

namespace BlazorVault.Tests.CustomObjects.Components;

public sealed class VaultValueTests : MudBunitContext
{
    private static readonly CustomFieldView Url = new(5, 5, "URL", CustomFieldType.Url, false, [], []);

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("file:///etc/passwd")]
    public void AUrlThatIsNotAWebAddress_IsShownAsText_NeverAsALink(string value)
    {
        var cell = Render<VaultValue>(p => p.Add(c => c.Field, Url).Add(c => c.Value, value));

        Assert.Empty(cell.FindAll("a"));
        Assert.Equal(value, cell.Find("span").TextContent);
    }

    [Fact]
    public void AWebAddress_IsALinkThatOpensApart()
    {
        var cell = Render<VaultValue>(p => p.Add(c => c.Field, Url).Add(c => c.Value, "https://portal.acme.example"));

        var link = cell.Find("a");
        Assert.Equal("https://portal.acme.example", link.GetAttribute("href"));
        Assert.Equal("noopener noreferrer", link.GetAttribute("rel"));
    }
}
