using System.Net;
using System.Text.RegularExpressions;
using OtpNet;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>
/// Two-factor sign-in over real HTTP, as a person with an authenticator app does it: the app's codes are computed
/// from the shared key with Otp.NET (RFC 6238: SHA-1, 30-second steps, 6 digits, as authenticator apps use).
/// </summary>
public static partial class TwoFactorForms
{
    /// <summary>The code an authenticator app shows now for the key (base32, any case, spaces allowed).</summary>
    public static string Code(string key) => new Totp(Base32Encoding.ToBytes(string.Concat(key.Split(' ')))).ComputeTotp();

    /// <summary>My Account &gt; Set up an authenticator app, signed in: the key shown and the recovery codes issued.</summary>
    public static async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> EnableAuthenticatorAsync(HttpClient client)
    {
        const string path = "/Account/Manage/EnableAuthenticator";
        var shown = SharedKeyPattern().Match(await client.GetStringAsync(path));
        Assert.True(shown.Success, "The page shows the authenticator key.");
        var key = shown.Groups["key"].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

        var verified = await HttpForms.SubmitAsync(
            client,
            path,
            "send-code",
            new Dictionary<string, string> { ["Input.Code"] = Code(key) }
        );
        var html = await verified.Content.ReadAsStringAsync();
        Assert.Contains("Your authenticator app has been verified.", html, StringComparison.Ordinal);
        var codes = RecoveryCodePattern().Matches(html).Select(m => m.Groups["code"].Value).ToList();
        Assert.Equal(10, codes.Count);
        return (key, codes);
    }

    /// <summary>Password, then the authenticator's code; true when the client ends up signed in.</summary>
    public static async Task<bool> SignInWithAuthenticatorAsync(HttpClient client, string email, string key)
    {
        await RequireSecondStepAsync(client, email);
        var response = await HttpForms.SubmitAsync(
            client,
            "/Account/LoginWith2fa",
            "login-with-2fa",
            new Dictionary<string, string> { ["Input.TwoFactorCode"] = Code(key) }
        );
        return await IsSignedInAfterAsync(client, response);
    }

    /// <summary>Password, then a recovery code; true when the client ends up signed in.</summary>
    public static async Task<bool> SignInWithRecoveryCodeAsync(HttpClient client, string email, string code)
    {
        await RequireSecondStepAsync(client, email);
        var response = await HttpForms.SubmitAsync(
            client,
            "/Account/LoginWithRecoveryCode",
            "login-with-recovery-code",
            new Dictionary<string, string> { ["Input.RecoveryCode"] = code }
        );
        return await IsSignedInAfterAsync(client, response);
    }

    private static async Task RequireSecondStepAsync(HttpClient client, string email)
    {
        var password = await HttpForms.SignInAsync(client, email);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.Contains("LoginWith2fa", password.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    private static async Task<bool> IsSignedInAfterAsync(HttpClient client, HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect
        && (await client.GetAsync("/Account/Manage/TwoFactorAuthentication")).StatusCode == HttpStatusCode.OK;

    [GeneratedRegex("<code>(?<key>[a-z2-7 ]{16,})</code>")]
    private static partial Regex SharedKeyPattern();

    [GeneratedRegex("<code class=\"recovery-code\">(?<code>[^<]+)</code>")]
    private static partial Regex RecoveryCodePattern();
}
