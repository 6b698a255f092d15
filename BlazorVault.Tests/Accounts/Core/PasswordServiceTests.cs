using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>
/// A person changing their own password on SQLite and on PostgreSQL: the current password first, the policy's history
/// and block-lists, lockout, and what a change ends (other sessions, links mailed before).
/// </summary>
public abstract class PasswordServiceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";
    private const string NewPassword = "purple tractor on a quiet hill";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;
    private string _wile = "";

    private PasswordService Passwords => _host.Get<PasswordService>();

    private PasswordLinkService Links => _host.Get<PasswordLinkService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(time: _clock, databases: databases);
        var acme = await _host.CreateCustomerAsync("Acme");
        _wile = await _host.CreatePortalUserAsync(acme, Wile);
    }

    [Fact]
    public async Task AReusedPassword_IsRefused()
    {
        await _host.SaveSettingsAsync<PasswordPolicySettings>(p => p.HistoryCount = 3);
        await _host.ActAsAsync(_wile);
        await ChangeAsync(TestPasswords.Default, "orange tractor number one");
        await ChangeAsync("orange tractor number one", "orange tractor number two");

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            ChangeAsync("orange tractor number two", TestPasswords.Default)
        );

        Assert.Equal(
            ["This password was used recently. Choose one that differs from the last 3."],
            refused.Errors[nameof(ChangePasswordInput.NewPassword)]
        );
        Assert.True(await _host.PasswordWorksAsync(Wile, "orange tractor number two"));
        var current = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            ChangeAsync("orange tractor number two", "orange tractor number two")
        );
        Assert.Contains("This password was used recently.", current.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOldPassword_IsAcceptedAgain_AfterThreeNewerOnes()
    {
        await _host.SaveSettingsAsync<PasswordPolicySettings>(p => p.HistoryCount = 3);
        await _host.ActAsAsync(_wile);
        await ChangeAsync(TestPasswords.Default, "orange tractor number one");
        await ChangeAsync("orange tractor number one", "orange tractor number two");
        await ChangeAsync("orange tractor number two", "orange tractor number three");

        await ChangeAsync("orange tractor number three", TestPasswords.Default);

        Assert.True(await _host.PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task ACommonPassword_IsRefusedByTheBlockList()
    {
        await _host.SaveSettingsAsync<PasswordPolicySettings>(p => p.MinLength = 8);
        await _host.ActAsAsync(_wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => ChangeAsync(TestPasswords.Default, "password123"));

        Assert.Equal(
            ["This password is on the list of commonly used passwords. Choose a less predictable one."],
            refused.Errors[nameof(ChangePasswordInput.NewPassword)]
        );
        Assert.True(await _host.PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task TheAccountsOwnEmail_IsRefusedAsItsPassword()
    {
        await _host.ActAsAsync(_wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => ChangeAsync(TestPasswords.Default, Wile));

        Assert.Equal(
            [$"Passwords may not contain \"{Wile}\", which is part of the account's details."],
            refused.Errors[nameof(ChangePasswordInput.NewPassword)]
        );
        Assert.False(await _host.PasswordWorksAsync(Wile, Wile));
    }

    [Fact]
    public async Task ChangingThePassword_WithAWrongCurrentPassword_IsRefused()
    {
        await _host.ActAsAsync(_wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => ChangeAsync("not my password at all", NewPassword));

        Assert.Equal(["The current password is incorrect."], refused.Errors[nameof(ChangePasswordInput.CurrentPassword)]);
        Assert.False(await _host.PasswordWorksAsync(Wile, NewPassword));
        Assert.True(await _host.PasswordWorksAsync(Wile, TestPasswords.Default));
        await using var db = await _host.OpenDbAsync();
        Assert.Equal(1, (await db.Users.AsNoTracking().SingleAsync(u => u.Id == _wile)).AccessFailedCount);
    }

    [Fact]
    public async Task WhileTheAccountIsLockedOut_TheChangeFormRefusesEvenTheRightCurrentPassword()
    {
        await _host.LockOutAsync(_wile);
        await _host.ActAsAsync(_wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => ChangeAsync(TestPasswords.Default, NewPassword));

        Assert.Contains("locked", refused.Errors[nameof(ChangePasswordInput.CurrentPassword)][0], StringComparison.Ordinal);
        Assert.True(await _host.PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task ChangingThePassword_VoidsResetLinksMailedBefore()
    {
        var (selector, _) = await _host.RequestResetLinkAsync(Wile);
        await _host.ActAsAsync(_wile);

        await ChangeAsync(TestPasswords.Default, NewPassword);

        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
    }

    [Fact]
    public async Task ChangingThePassword_WithTheRightCurrentPassword_EndsOtherSessions_AndReturnsTheNewStampForThisOne()
    {
        var session = await _host.SessionOfAsync(_wile);
        await _host.ActAsAsync(_wile);

        var changed = await ChangeAsync(TestPasswords.Default, NewPassword);

        Assert.True(await _host.PasswordWorksAsync(Wile, NewPassword));
        Assert.Equal(Actor.Anonymous, await _host.Get<ActorResolver>().ResolveAsync(session));
        Assert.Equal(await _host.SecurityStampAsync(_wile), changed.SecurityStamp);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private Task<ApplicationUser> ChangeAsync(string current, string next) =>
        Passwords.ChangeAsync(
            new ChangePasswordInput
            {
                CurrentPassword = current,
                NewPassword = next,
                ConfirmPassword = next,
            }
        );

    public sealed class OnSqlite() : PasswordServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : PasswordServiceTests(postgres);
}
