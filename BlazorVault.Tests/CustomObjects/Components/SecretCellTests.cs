using BlazorVault.Components.CustomObjects;
using BlazorVault.Core.Audit;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.CustomObjects.Components;

/// <summary>The password cell against the real RevealSecretCommand on a SQLite file, with a clock the test moves.</summary>
public sealed class SecretCellTests : MudBunitContext, IAsyncLifetime
{
    private const string Password = "cell-canary-2b7f!";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private CoreTestHost _host = default!;
    private int _row;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        var customer = await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(await _host.CreateAgentAsync("alex@example.com"));
        var input = new VaultRowInput(new Dictionary<int, string?> { [PasswordField] = Password });
        _row = await _host.Get<CustomerVaultService>().CreateRowAsync(customer, 1, input);
        Services.AddSingleton(_host.Get<RevealSecretCommand>());
        Services.AddSingleton<TimeProvider>(_clock);
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void ByDefault_TheCellShowsAFixedMask_NeverTheValueOrItsLength()
    {
        var cell = RenderCell();

        Assert.Equal(SecretCell.Mask, cell.Find(".bv-secret").TextContent);
        Assert.DoesNotContain(Password, cell.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEye_RevealsThroughTheAuditedCommand_AndTheValueHidesAfterTheSetSeconds()
    {
        var cell = RenderCell(revealSeconds: 30);

        cell.Find("[data-action=reveal] button, button[data-action=reveal]").Click();

        cell.WaitForAssertion(() => Assert.Equal(Password, cell.Find(".bv-secret").TextContent));
        Assert.Contains("Last revealed by alex, just now", cell.Markup, StringComparison.Ordinal);
        Assert.Single(await _host.Get<AuditQueryService>().ListAccessLogAsync(1), e => e.Action == "vault.revealed");

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(Password, cell.Find(".bv-secret").TextContent);
        _clock.Advance(TimeSpan.FromSeconds(1));
        cell.WaitForAssertion(() => Assert.Equal(SecretCell.Mask, cell.Find(".bv-secret").TextContent));
        Assert.DoesNotContain(Password, cell.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEyeAgain_HidesAtOnce()
    {
        var cell = RenderCell();
        cell.Find("button[data-action=reveal]").Click();
        cell.WaitForAssertion(() => Assert.Equal(Password, cell.Find(".bv-secret").TextContent));

        cell.Find("button[data-action=reveal]").Click();

        Assert.Equal(SecretCell.Mask, cell.Find(".bv-secret").TextContent);
    }

    [Fact]
    public async Task Copy_HandsTheValueAndTheVaultSecondsToTheBrowser_WithoutEverRenderingIt()
    {
        var copy = JSInterop.SetupVoid("blazorVault.copySecret", _ => true);
        var cell = RenderCell(revealSeconds: 20);

        cell.Find("button[data-action=copy]").Click();

        // The browser clears the clipboard after the same seconds that hide a revealed value.
        cell.WaitForAssertion(() => Assert.Equal([Password, 20], Assert.Single(copy.Invocations).Arguments));
        Assert.DoesNotContain(Password, cell.Markup, StringComparison.Ordinal);
        Assert.Single(await _host.Get<AuditQueryService>().ListAccessLogAsync(1), e => e.Action == "vault.copied");
    }

    [Fact]
    public async Task WhenAReasonIsRequired_TheEyeAsksForItFirst()
    {
        await _host.AsSystemAsync(async () =>
        {
            await _host.Get<SettingsService>().SaveAsync(new VaultSettings { RequireRevealReason = true });
            return true;
        });
        var dialogs = Render<MudDialogProvider>();
        var cell = RenderCell(requireReason: true);

        cell.Find("button[data-action=reveal]").Click();
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#reveal-reason")));
        Assert.Equal(SecretCell.Mask, cell.Find(".bv-secret").TextContent);
        dialogs.Find("#reveal-reason").Input("Ticket #77");
        dialogs.Find("#confirm-reason").Click();

        cell.WaitForAssertion(() => Assert.Equal(Password, cell.Find(".bv-secret").TextContent));
        Assert.Contains("Ticket #77", (await _host.Get<AuditQueryService>().ListAccessLogAsync(1))[0].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheCommandFails_TheAgentSeesWhy_AndNothingIsShown()
    {
        var snackbars = Render<MudSnackbarProvider>();
        await using (var db = await _host.OpenDbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER audit_down BEFORE INSERT ON AuditEvents BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END;"
            );
        }

        var cell = RenderCell();
        cell.Find("button[data-action=reveal]").Click();

        snackbars.WaitForAssertion(() =>
            Assert.Contains(
                "could not be recorded in the audit log, so the password was not shown",
                snackbars.Markup,
                StringComparison.Ordinal
            )
        );
        Assert.Equal(SecretCell.Mask, cell.Find(".bv-secret").TextContent);
        Assert.DoesNotContain(Password, cell.Markup + snackbars.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<SecretCell> RenderCell(int revealSeconds = 30, bool requireReason = false) =>
        Render<SecretCell>(p =>
            p.Add(c => c.RowId, _row)
                .Add(c => c.FieldId, PasswordField)
                .Add(c => c.Cell, new SecretCellView(true, DateTime.UtcNow, "alex", null, null))
                .Add(c => c.RevealSeconds, revealSeconds)
                .Add(c => c.RequireReason, requireReason)
        );

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _host.DisposeAsync();
    }
}
