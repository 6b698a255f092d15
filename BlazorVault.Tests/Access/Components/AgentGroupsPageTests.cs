using BlazorVault.Components.Access.Admin;
using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Customers;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.Components;

/// <summary>Configuration &gt; Agent groups and its dialog against the real AgentGroupService on a SQLite file.</summary>
public sealed class AgentGroupsPageTests : MudBunitContext, IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private string _alex = "";
    private int _acme;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _alex = await _host.CreateAgentAsync("alex@example.com");
        _acme = await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(await _host.CreateAgentAsync("ada@example.com", isAdmin: true));
        Services.AddSingleton(_host.Get<AgentGroupService>());
        Services.AddSingleton(_host.Get<AgentService>());
        Services.AddSingleton(_host.Get<CustomTableService>());
        Services.AddSingleton(_host.Get<CustomerService>());
    }

    [Fact]
    public async Task TheList_ShowsTheBuiltInGroupWithoutDelete_AndEachGroupsScope()
    {
        await Groups.CreateAsync(
            new AgentGroupInput
            {
                Name = "Tier 1",
                AllCustomers = false,
                CustomerIds = [_acme],
                MemberIds = [_alex],
                OtherTables = AccessLevel.None,
                CanApprove = true,
            }
        );
        Render<MudPopoverProvider>();

        var page = Render<AgentGroupsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("td[data-group]").Count));
        var rows = page.FindAll("#group-table tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("Built in", rows[0], StringComparison.Ordinal);
        Assert.Contains("All customers", rows[0], StringComparison.Ordinal);
        Assert.Contains("Tier 1", rows[1], StringComparison.Ordinal);
        Assert.Contains("None", rows[1], StringComparison.Ordinal);
        Assert.Contains("Yes", rows[1], StringComparison.Ordinal);
        Assert.Empty(page.FindAll($"[aria-label='Delete {AgentGroup.BuiltInName}']"));
        Assert.Single(page.FindAll("[aria-label='Delete Tier 1']"));
        var explained = string.Join(' ', page.Find("#groups-explained").TextContent.Split((char[])[' ', '\n'], Split));
        Assert.Contains("An agent's rights are the union of their groups. Administrators are not limited by groups.", explained);
        Assert.Contains("nothing changes until an administrator narrows it", explained, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_ShowsCoreErrorsBesideTheFields_AndKeepsTheDialogOpen()
    {
        await Groups.CreateAsync(new AgentGroupInput { Name = "Tier 1" });
        var (provider, dialog) = await OpenAsync(null);

        provider.Find("#save-group").Click();
        provider.WaitForAssertion(() => Assert.Equal([NameRequired], FieldErrors(provider)));

        provider.Find("#group-name").Change("Tier 1");
        provider.Find("#save-group").Click();
        provider.WaitForAssertion(() => Assert.Equal(["A group with this name exists."], FieldErrors(provider)));
        Assert.False(dialog.Result.IsCompleted);
        Assert.Equal(2, (await Groups.ListAsync()).Count);
    }

    [Fact]
    public async Task Edit_ShowsTheGroupsLevelsWithTheirHelp_AndSaveKeepsWhatWasNotTouched()
    {
        var id = await Groups.CreateAsync(
            new AgentGroupInput
            {
                Name = "Tier 2",
                AllCustomers = false,
                CustomerIds = [_acme],
                MemberIds = [_alex],
                TableLevels = new() { [PasswordsTable] = AccessLevel.Reveal },
            }
        );
        var (provider, dialog) = await OpenAsync(id);

        provider.WaitForAssertion(() => Assert.Equal("Tier 2", provider.Find("#group-name").GetAttribute("value")));
        var passwords = provider.Find("[data-table-level='Passwords']");
        Assert.Equal("Reveal", passwords.QuerySelector("input")!.GetAttribute("value"));
        Assert.Contains(AgentGroupDialog.LevelHelp(AccessLevel.Reveal), passwords.TextContent, StringComparison.Ordinal);
        Assert.Contains("Acme", provider.Find("[data-picked-customer]").TextContent, StringComparison.Ordinal);

        provider.Find("#group-name").Change("Tier 2 (nights)");
        provider.Find("#group-can-approve").Change(true);
        provider.Find("#save-group").Click();

        Assert.Equal(id, (await dialog.Result)!.Data);
        var saved = await Groups.GetAsync(id);
        Assert.Equal("Tier 2 (nights)", saved.Name);
        Assert.True(saved.CanApprove);
        Assert.False(saved.AllCustomers);
        Assert.Equal([_acme], saved.Customers.Select(c => c.Id));
        Assert.Equal([_alex], saved.Members.Select(m => m.UserId));
        Assert.Equal(AccessLevel.Reveal, saved.Tables.Single(t => t.TableId == PasswordsTable).Level);
    }

    [Fact]
    public void TheHelp_SaysWhatEachLevelAllows()
    {
        Assert.Equal(
            [
                "The tab is not there.",
                "Rows without passwords.",
                "Rows, and the eye and copy on passwords.",
                "Reveal, and add, edit and delete rows.",
                "Edit, and the customer's Access log.",
            ],
            Enum.GetValues<AccessLevel>().Select(AgentGroupDialog.LevelHelp)
        );
    }

    private const StringSplitOptions Split = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;

    private static readonly string NameRequired = $"Enter a name of at most {AgentGroup.NameMaxLength} characters.";

    private AgentGroupService Groups => _host.Get<AgentGroupService>();

    private static string[] FieldErrors(IRenderedComponent<MudDialogProvider> provider) =>
        [.. provider.FindAll(".mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim())];

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenAsync(int? id)
    {
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var parameters = new DialogParameters<AgentGroupDialog> { { d => d.GroupId, id } };
        var dialog = await provider.InvokeAsync(() => dialogs.ShowAsync<AgentGroupDialog>("Agent group", parameters));
        provider.WaitForAssertion(() => Assert.NotNull(provider.Find("#group-name")));
        return (provider, dialog);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _host.DisposeAsync();
    }
}
