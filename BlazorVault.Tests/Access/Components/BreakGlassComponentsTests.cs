using BlazorVault.Components.Access;
using BlazorVault.Components.CustomObjects;
using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.Components;

/// <summary>
/// The break-glass button and dialog in a password cell, the app bar's bell and the administrators' banner, against the real
/// Core services on a SQLite file.
/// </summary>
public sealed class BreakGlassComponentsTests : MudBunitContext, IAsyncLifetime
{
    private const string Password = "bell-canary-5c1e!";

    private CoreTestHost _host = default!;
    private string _ada = "";
    private string _sam = "";
    private int _acme;
    private int _row;
    private IRenderedComponent<MudPopoverProvider> _popovers = default!;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _ada = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
        _sam = await _host.CreateAgentAsync("sam@example.com");
        _acme = await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(_ada);
        var groups = _host.Get<AgentGroupService>();
        await groups.UpdateAsync(
            AgentGroup.BuiltInId,
            new AgentGroupInput
            {
                Name = AgentGroup.BuiltInName,
                AllCustomers = false,
                OtherTables = AccessLevel.None,
            }
        );
        await groups.CreateAsync(
            new AgentGroupInput
            {
                Name = "Tier 1",
                AllCustomers = false,
                CustomerIds = [_acme],
                MemberIds = [_sam],
                OtherTables = AccessLevel.None,
                TableLevels = new() { [PasswordsTable] = AccessLevel.List },
            }
        );
        var input = new VaultRowInput(new Dictionary<int, string?> { [PasswordField] = Password });
        _row = await _host.Get<CustomerVaultService>().CreateRowAsync(_acme, PasswordsTable, input);
        await _host.Get<SettingsService>().SaveAsync(new VaultSettings { AllowBreakGlass = true });
        Services.AddSingleton(_host.Get<RevealSecretCommand>());
        Services.AddSingleton(_host.Get<BreakGlassCommand>());
        // The bell and banner are Ada's open page: her own actor, while the test acts as Sam elsewhere.
        var adasPage = new TestActor { Current = await _host.Get<ActorResolver>().ResolveAsync(_ada) };
        Services.AddSingleton(
            new AccessNoticeService(
                adasPage,
                _host.Get<IDbContextFactory<BlazorVaultDbContext>>(),
                _host.Get<ISettingsChangeNotifier>(),
                TimeProvider.System
            )
        );
        Services.AddSingleton<ICurrentActor>(adasPage);
        Services.AddSingleton(_host.Get<ISettingsChangeNotifier>());
        Services.AddSingleton(TimeProvider.System);
        _popovers = Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task WithoutReveal_TheCellOffersBreakGlass_WhichAsksForAReasonAndThePassword_ThenShowsTheValue()
    {
        await _host.ActAsAsync(_sam);
        var dialogs = Render<MudDialogProvider>();
        var cell = RenderCell(allowBreakGlass: true);
        Assert.Empty(cell.FindAll("button[data-action=reveal]"));
        Assert.Empty(cell.FindAll("[data-needs-rotation]"));

        cell.Find("button[aria-label='Emergency reveal of password for svc-backup']").Click();
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#break-glass-reason")));
        Assert.Contains("every administrator is notified", dialogs.Find("#break-glass-warning").TextContent, StringComparison.Ordinal);
        dialogs.Find("#break-glass-reason").Input("Backups down");
        dialogs.Find("#break-glass-password").Input("wrong password");
        dialogs.Find("#confirm-break-glass").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("The password is incorrect.", dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal(SecretCell.Mask, cell.Find(".bv-secret").TextContent);

        dialogs.Find("#break-glass-password").Input(TestPasswords.Default);
        dialogs.Find("#confirm-break-glass").Click();

        cell.WaitForAssertion(() => Assert.Equal(Password, cell.Find(".bv-secret").TextContent));
        Assert.DoesNotContain(Password, dialogs.Markup, StringComparison.Ordinal);
        Assert.Contains("Break-glass reveal by sam", cell.Find("[data-needs-rotation]").GetAttribute("title"), StringComparison.Ordinal);
        cell.Find("button[data-action=break-glass]").Click();
        Assert.Equal(SecretCell.Mask, cell.Find(".bv-secret").TextContent);
    }

    [Fact]
    public async Task ABreakGlassValue_StaysThroughThePagesOwnReload_ButGoesWhenTheSettingIsTurnedOff()
    {
        await _host.ActAsAsync(_sam);
        var dialogs = Render<MudDialogProvider>();
        var cell = RenderCell(allowBreakGlass: true);
        cell.Find("button[data-action=break-glass]").Click();
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#break-glass-reason")));
        dialogs.Find("#break-glass-reason").Input("Backups down");
        dialogs.Find("#break-glass-password").Input(TestPasswords.Default);
        dialogs.Find("#confirm-break-glass").Click();
        cell.WaitForAssertion(() => Assert.Equal(Password, cell.Find(".bv-secret").TextContent));

        cell.Render(p => p.Add(c => c.CanReveal, false).Add(c => c.AllowBreakGlass, true));
        Assert.Equal(Password, cell.Find(".bv-secret").TextContent);
        cell.Render(p => p.Add(c => c.AllowBreakGlass, false));

        Assert.Equal(SecretCell.Mask, cell.Find(".bv-secret").TextContent);
    }

    [Fact]
    public void WhenTheSettingIsOff_ACellWithoutRevealHasNoButtons()
    {
        var cell = RenderCell(allowBreakGlass: false);

        Assert.Empty(cell.FindAll("button"));
    }

    [Fact]
    public async Task TheBell_CountsMyUnreadNotices_LiveAndListsThem_AndOpeningOneMarksItRead()
    {
        var bell = Render<NoticeBell>();
        Assert.Equal("Notifications, 0 unread", BellButton(bell).GetAttribute("aria-label"));

        await BreakGlassAsync("Backups down");
        await BreakGlassAsync("Firewall locked");

        bell.WaitForAssertion(() => Assert.Equal("Notifications, 2 unread", BellButton(bell).GetAttribute("aria-label")));
        Assert.Equal("2", bell.Find(".mud-badge").TextContent.Trim());
        BellButton(bell).Click();
        var popover = _popovers;
        popover.WaitForAssertion(() => Assert.Equal(2, popover.FindAll("[data-notice]").Count));
        var items = popover.FindAll("[data-notice]");
        Assert.Contains("Firewall locked", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("just now", items[0].TextContent, StringComparison.Ordinal);
        Assert.Equal($"/customers/{_acme}", items[0].GetAttribute("href"));

        items[0].Click();

        bell.WaitForAssertion(() => Assert.Equal("Notifications, 1 unread", BellButton(bell).GetAttribute("aria-label")));
        BellButton(bell).Click();
        popover.WaitForAssertion(() => popover.Find("[data-action=mark-all-read]").Click());
        bell.WaitForAssertion(() => Assert.Equal("Notifications, 0 unread", BellButton(bell).GetAttribute("aria-label")));
    }

    [Fact]
    public async Task TheBanner_ShowsABreakGlassLive_AndDismissRemovesIt()
    {
        var banner = Render<BreakGlassBanner>();
        Assert.Empty(banner.FindAll("[data-break-glass-notice]"));

        await BreakGlassAsync("Backups down");

        banner.WaitForAssertion(() =>
            Assert.Contains("Backups down", banner.Find("[data-break-glass-notice]").TextContent, StringComparison.Ordinal)
        );
        Assert.Equal($"/customers/{_acme}", banner.Find("[data-break-glass-notice] a").GetAttribute("href"));
        banner.Find("button[data-action=dismiss-break-glass]").Click();
        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll("[data-break-glass-notice]")));
        Assert.Equal(0, (await _host.Get<AccessNoticeService>().ListMineAsync()).UnreadCount);
    }

    /// <summary>Sam breaks glass in a tab of his own (through Core), then the test is Ada again.</summary>
    private async Task BreakGlassAsync(string reason)
    {
        await _host.ActAsAsync(_sam);
        await _host.Get<BreakGlassCommand>().RevealAsync(_row, PasswordField, reason, TestPasswords.Default);
        await _host.ActAsAsync(_ada);
    }

    private static AngleSharp.Dom.IElement BellButton(IRenderedComponent<NoticeBell> bell) =>
        bell.Find("button[aria-label^=Notifications]");

    private IRenderedComponent<SecretCell> RenderCell(bool allowBreakGlass) =>
        Render<SecretCell>(p =>
            p.Add(c => c.RowId, _row)
                .Add(c => c.FieldId, PasswordField)
                .Add(c => c.Cell, new SecretCellView(true, DateTime.UtcNow, "ada", null, null))
                .Add(c => c.CanReveal, false)
                .Add(c => c.AllowBreakGlass, allowBreakGlass)
                .Add(c => c.Name, "password for svc-backup")
        );

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _host.DisposeAsync();
    }
}
