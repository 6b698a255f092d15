using BlazorVault.Components;
using BlazorVault.Components.Access;
using BlazorVault.Components.Audit;
using BlazorVault.Components.Crypto;
using BlazorVault.Components.Layout;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Layout.Components;

public sealed class MainLayoutTests : MudBunitContext
{
    private readonly TestActor _actor = new();

    public MainLayoutTests()
    {
        Services.AddSingleton<ICurrentActor>(_actor);

        // The banners read job history, the key ring and notices; they have tests of their own.
        ComponentFactories.AddStub<AuditChainBanner>();
        ComponentFactories.AddStub<EncryptionBanner>();
        ComponentFactories.AddStub<BreakGlassBanner>();
        ComponentFactories.AddStub<NoticeBell>();
    }

    [Theory]
    [InlineData(Roles.Agent, new[] { "Home", "Customers", "Tickets", "Access requests" })]
    [InlineData(Roles.Admin, new[] { "Home", "Customers", "Tickets", "Access requests", "Configuration" })]
    public void Navigation_ShowsConfigurationToAdministratorsOnly(string role, string[] expectedLinks)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized("alex@example.com");
        authorization.SetRoles(role);
        if (role == Roles.Admin)
        {
            authorization.SetPolicies(Policies.Admin);
        }

        _actor.Current = new Actor("alex", "Alex Agent", new HashSet<string> { role }, null);

        var layout = RenderLayout();

        Assert.Equal(expectedLinks, layout.FindAll(".mud-nav-link").Select(a => a.TextContent.Trim()));
        Assert.Contains("Alex Agent", layout.Find(".mud-appbar").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ThemeToggle_SwitchesToDarkAndRemembersItInACookie()
    {
        AddAuthorization().SetAuthorized("ada@example.com");
        var theme = new ThemeState();
        var setTheme = JSInterop.SetupVoid("blazorVault.setTheme", _ => true);
        var layout = RenderLayout(theme);

        layout.Find("#theme-toggle").Click();

        Assert.True(theme.IsDarkMode);
        Assert.Equal(true, Assert.Single(setTheme.Invocations).Arguments[0]);
        Assert.Contains("mud-theme-provider", layout.Markup, StringComparison.Ordinal);
    }

    /// <summary>Renders the layout as a live circuit would (after all services are registered).</summary>
    private IRenderedComponent<MainLayout> RenderLayout(ThemeState? theme = null)
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Render<MainLayout>(p => p.Add(l => l.Body, "<p>page</p>").AddCascadingValue(theme ?? new ThemeState()));
    }
}
