using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Accounts.Web;

/// <summary>
/// My Account's second-factor pages change the account's security stamp (Identity does, when it makes an authenticator
/// key or turns two-factor sign-in on or off). The session that made the change must go on working everywhere, as after
/// a password change: Core re-checks the stamp on every call, so a cookie left with the old stamp is signed out there.
/// </summary>
public sealed class SecondFactorSessionTests : IAsyncLifetime
{
    private const string Sam = "sam@example.com";
    private readonly AppFactory _app = new();

    public async ValueTask InitializeAsync()
    {
        _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        await _app.CreateAgentAsync("Sam Support", Sam);
    }

    [Theory]
    [InlineData("open the authenticator set-up")]
    [InlineData("turn the authenticator on")]
    [InlineData("turn two-factor sign-in off")]
    [InlineData("reset the authenticator key")]
    public async Task AfterASecondFactorChange_TheSameSessionStillActsAsItsUser(string change)
    {
        using var client = _app.CreateRealClient(followRedirects: true);
        (await HttpForms.SignInAsync(client, Sam)).Dispose();

        switch (change)
        {
            case "open the authenticator set-up":
                await client.GetStringAsync("/Account/Manage/EnableAuthenticator");
                break;
            case "turn the authenticator on":
                await TwoFactorForms.EnableAuthenticatorAsync(client);
                break;
            case "turn two-factor sign-in off":
                await TwoFactorForms.EnableAuthenticatorAsync(client);
                await SubmitAsync(client, "/Account/Manage/Disable2fa", "disable-2fa");
                break;
            default:
                await TwoFactorForms.EnableAuthenticatorAsync(client);
                await SubmitAsync(client, "/Account/Manage/ResetAuthenticator", "reset-authenticator");
                break;
        }

        // A call Core checks as this user: changing the password needs the signed-in account.
        using var changed = await HttpForms.SubmitAsync(
            client,
            "/Account/Manage/ChangePassword",
            "change-password",
            new Dictionary<string, string>
            {
                ["Input.CurrentPassword"] = TestPasswords.Default,
                ["Input.NewPassword"] = "harbour-lantern-73-quill",
                ["Input.ConfirmPassword"] = "harbour-lantern-73-quill",
            }
        );
        var html = await changed.Content.ReadAsStringAsync();
        Assert.True(changed.IsSuccessStatusCode, $"{(int)changed.StatusCode} after \"{change}\"");
        Assert.Contains("Your password has been changed", html, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static async Task SubmitAsync(HttpClient client, string path, string formName)
    {
        using var response = await HttpForms.SubmitAsync(client, path, formName, new Dictionary<string, string>());
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
    }
}
