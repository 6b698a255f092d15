using System.Diagnostics;
using System.Net;
using BlazorVault.Core.Customers;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Accounts.Web;

/// <summary>
/// Wrong passwords over real HTTP tell nobody which emails have an account: a real account, an unknown email and a
/// disabled account get the same answers, attempt by attempt (status code and redirect target), in about the same
/// time. The lockout still works: the real account is locked after the fifth, and the disabled one never signs in.
/// </summary>
public sealed class SignInLockoutHttpTests : IAsyncLifetime
{
    private const string Real = "wile@acme.example";
    private const string Unknown = "nobody@acme.example";
    private const string Disabled = "road.runner@acme.example";

    private readonly AppFactory _app = new();

    public async ValueTask InitializeAsync()
    {
        await _app.CreateAdminAsync("ada@example.com");
        var acme = await _app.CreateCustomerAsync("Acme");
        await _app.CreatePortalUserAsync(acme, "Wile Coyote", Real);
        var disabled = await _app.CreatePortalUserAsync(acme, "Road Runner", Disabled);
        await _app.AsSystemAsync<PortalUserService, bool>(async s =>
        {
            await s.SetEnabledAsync(acme, disabled, enabled: false);
            return true;
        });
    }

    [Fact]
    public async Task WrongPasswords_GetTheSameAnswers_ForARealAnUnknownAndADisabledAccount_InAboutTheSameTime()
    {
        const int Attempts = 10;
        using var realClient = _app.CreateRealClient();
        using var unknownClient = _app.CreateRealClient();
        using var disabledClient = _app.CreateRealClient();
        (string Email, HttpClient Client)[] accounts = [(Real, realClient), (Unknown, unknownClient), (Disabled, disabledClient)];
        var answers = accounts.ToDictionary(a => a.Email, _ => new List<string>());
        var times = accounts.ToDictionary(a => a.Email, _ => new List<double>());

        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            // Interleaved, in turn first, so that whatever else the machine is doing slows the three alike.
            foreach (var (email, client) in accounts.Skip(attempt % 3).Concat(accounts.Take(attempt % 3)))
            {
                var (response, elapsed) = await TimedSignInAsync(client, email, $"not the password {attempt}");
                answers[email].Add(Answer(response));
                times[email].Add(elapsed.TotalMilliseconds);
            }
        }

        Assert.Equal([.. Enumerable.Repeat("200 ", 4), .. Enumerable.Repeat("302 /Account/Lockout", Attempts - 4)], answers[Real]);
        Assert.Equal(answers[Real], answers[Unknown]);
        Assert.Equal(answers[Real], answers[Disabled]);
        // Every answer costs one PBKDF2 check (hundreds of milliseconds); one that skips it comes back 10 to 20 times
        // faster. A factor of 3 leaves room for a busy machine.
        var medians = times.ToDictionary(t => t.Key, t => t.Value.Order().ElementAt(Attempts / 2));
        Assert.True(
            medians.Values.Min() * 3 >= medians.Values.Max(),
            $"Median answer times differ: {string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:F0} ms"))}"
        );
        using var withRightPassword = _app.CreateRealClient();
        Assert.Equal("302 /Account/Lockout", Answer(await HttpForms.SignInAsync(withRightPassword, Real)));
    }

    [Fact]
    public async Task ADisabledAccount_WithItsRightPassword_IsAnsweredAsAWrongPassword_AndNotSignedIn()
    {
        using var disabled = _app.CreateRealClient();
        using var unknown = _app.CreateRealClient();

        var right = await HttpForms.SignInAsync(disabled, Disabled);
        var wrong = await HttpForms.SignInAsync(unknown, Unknown);

        Assert.Equal(("200 ", "200 "), (Answer(right), Answer(wrong)));
        Assert.Contains("The email or password is incorrect.", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await disabled.GetAsync("/portal")).StatusCode);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedSignInAsync(
        HttpClient client,
        string email,
        string password
    )
    {
        var form = await HttpForms.FillAsync(
            client,
            "/Account/Login",
            "login",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password }
        );
        var started = Stopwatch.GetTimestamp();
        var response = await client.PostAsync("/Account/Login", form);
        return (response, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>What someone outside sees of a sign-in: the status code and where it sends them.</summary>
    private static string Answer(HttpResponseMessage response) => $"{(int)response.StatusCode} {PathOf(response.Headers.Location)}";

    private static string PathOf(Uri? location) =>
        location is null ? ""
        : location.IsAbsoluteUri ? location.AbsolutePath
        : location.OriginalString;
}
