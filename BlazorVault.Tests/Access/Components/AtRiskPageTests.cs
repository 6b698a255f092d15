using BlazorVault.Components.Access.Admin;
using BlazorVault.Core.Access;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.Components;

/// <summary>Configuration &gt; Passwords at risk against the real Core services on a SQLite file.</summary>
public sealed class AtRiskPageTests : MudBunitContext, IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private string _admin = "";
    private string _sam = "";
    private int _backup;
    private int _firewall;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _admin = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
        _sam = await _host.CreateAgentAsync("sam@example.com");
        var acme = await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(_admin);
        _backup = await CreateRowAsync(acme, "svc-backup");
        _firewall = await CreateRowAsync(acme, "fw-admin");
        await _host.ActAsAsync(_sam);
        await _host.Get<RevealSecretCommand>().RevealAsync(_backup, PasswordField, RevealKind.Revealed);
        await _host.Get<RevealSecretCommand>().RevealAsync(_firewall, PasswordField, RevealKind.Copied);
        await _host.ActAsAsync(_admin);
        Services.AddSingleton(_host.Get<AtRiskReportService>());
        Services.AddSingleton(_host.Get<PasswordRotationService>());
        Services.AddSingleton(_host.Get<AgentService>());
    }

    [Fact]
    public void TheAgentFromTheLink_ShowsWhatTheyRevealed_WithCustomerTableRowAndTheCsvLink()
    {
        Render<MudPopoverProvider>();

        var page = RenderFor(_sam);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-at-risk-row]").Count));
        Assert.Equal("2 passwords at risk", page.Find("#at-risk-count").TextContent.Trim());
        var rows = page.FindAll("#at-risk-table tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("fw-admin", rows[0], StringComparison.Ordinal);
        Assert.Contains("copied", rows[0], StringComparison.Ordinal);
        Assert.Contains("Acme", rows[1], StringComparison.Ordinal);
        Assert.Contains("svc-backup", rows[1], StringComparison.Ordinal);
        Assert.Contains("revealed", rows[1], StringComparison.Ordinal);
        Assert.Equal($"/config/at-risk/export.csv?agent={_sam}", page.Find("#at-risk-csv").GetAttribute("href"));
        Assert.True(page.Find("#mark-selected").HasAttribute("disabled"));
    }

    [Fact]
    public void MarkSelected_AsksForAReason_AndMarksOnlyTheChosenPassword()
    {
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var page = RenderFor(_sam);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-at-risk-row]").Count));

        page.Find($"input[data-select-row='{_backup}']").Change(true);
        page.Find("#mark-selected").Click();
        provider.WaitForAssertion(() => Assert.NotNull(provider.Find("#rotation-reason")));
        Assert.Contains("1 password will show", provider.Markup, StringComparison.Ordinal);
        provider.Find("#rotation-reason").Input("Sam left the company");
        provider.Find("#confirm-rotation").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-needs-rotation]")));
        var marked = page.Find($"[data-at-risk-row='{_backup}']").ParentElement!.TextContent;
        Assert.Contains("Needs rotation", marked, StringComparison.Ordinal);
        Assert.Contains("Sam left the company", marked, StringComparison.Ordinal);
        Assert.Empty(provider.FindAll("#rotation-reason"));
    }

    /// <summary>The page as the link from Configuration &gt; Agents opens it.</summary>
    private IRenderedComponent<AtRiskPage> RenderFor(string agentId)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("agent", agentId));
        return Render<AtRiskPage>();
    }

    private Task<int> CreateRowAsync(int customer, string username) =>
        _host
            .Get<CustomerVaultService>()
            .CreateRowAsync(
                customer,
                PasswordsTable,
                new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = username, [PasswordField] = $"{username}-S3cret!" })
            );

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _host.DisposeAsync();
    }
}
