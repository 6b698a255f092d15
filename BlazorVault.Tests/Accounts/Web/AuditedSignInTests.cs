using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Accounts.Web;

/// <summary>Sign-ins over real HTTP land in the audit log with who, what and from where.</summary>
public sealed class AuditedSignInTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();

    public async ValueTask InitializeAsync() => await _app.CreateAdminAsync("ada@example.com");

    [Fact]
    public async Task SuccessFailureUnknownAccountAndLockout_AreEachRecorded()
    {
        const string TypedIntoEmail = "oops-this-was-my-password-7731";
        using var client = _app.CreateRealClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("BlazorVaultTests/1.0");

        await HttpForms.SignInAsync(client, TypedIntoEmail + "@nowhere.example");
        for (var i = 0; i < 5; i++)
        {
            await HttpForms.SignInAsync(client, "ada@example.com", "wrong password " + i);
        }

        var events = await _app.AsSystemAsync<AuditQueryService, AuditPage>(s => s.ListAsync(new AuditQuery(PageSize: 20)));
        var signIns = events.Items.Where(e => e.Action.StartsWith("sign-in", StringComparison.Ordinal)).Reverse().ToList();

        Assert.Equal(
            [
                AuditActions.SignInFailed,
                AuditActions.SignInFailed,
                AuditActions.SignInFailed,
                AuditActions.SignInFailed,
                AuditActions.SignInFailed,
                AuditActions.LockedOut,
            ],
            signIns.Select(e => e.Action)
        );
        Assert.Equal("Unknown account", signIns[0].ActorName);
        Assert.Null(signIns[0].TargetId);
        Assert.DoesNotContain(events.Items, e => (e.Details ?? "").Contains(TypedIntoEmail, StringComparison.Ordinal));
        Assert.Equal("Ada Admin", signIns[1].ActorName);
        Assert.All(signIns, e => Assert.Equal(("127.0.0.1", "BlazorVaultTests/1.0"), (e.IpAddress, e.UserAgent)));
    }

    [Fact]
    public async Task ASuccessfulSignIn_IsRecordedOnce()
    {
        using var client = _app.CreateRealClient();

        await HttpForms.SignInAsync(client, "ada@example.com");

        var events = await _app.AsSystemAsync<AuditQueryService, AuditPage>(s =>
            s.ListAsync(new AuditQuery(Action: AuditActions.SignInSucceeded))
        );
        var signIn = Assert.Single(events.Items);
        Assert.Equal("Ada Admin", signIn.ActorName);
        Assert.Equal("{\"method\":\"password\"}", signIn.Details);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
