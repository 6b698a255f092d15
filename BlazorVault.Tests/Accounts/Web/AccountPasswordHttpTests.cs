using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace BlazorVault.Tests.Accounts.Web;

/// <summary>
/// Passwords by email over real HTTP, the app delivering to a real SMTP server (aiosmtpd on 127.0.0.1): "Forgotten
/// password" tells no one which addresses have an account, the emailed link sets a new password once, an expired
/// password leads to the same link, and neither the link's verifier nor the new password reaches the logs or the
/// database files.
/// </summary>
public sealed partial class AccountPasswordHttpTests : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";
    private const string ResetSubject = "Reset your BlazorVault password";
    private static readonly TimeSpan EmailTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _data = new();
    private AppFactory _app = default!;
    private SmtpTestServer _smtp = default!;
    private string _address = "";

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync();
        _app = new AppFactory(data: _data);
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        await SaveAsync(
            new EmailSettings
            {
                SmtpHost = SmtpTestServer.Host,
                SmtpPort = _smtp.Port,
                TlsMode = SmtpTlsMode.None,
                FromAddress = "helpdesk@example.com",
            }
        );
        var acme = await _app.CreateCustomerAsync("Acme");
        await _app.CreatePortalUserAsync(acme, "Wile Coyote", Wile);
        await _smtp.WaitForMessageAsync(m => IsTo(m, Wile, "Your BlazorVault account"), EmailTimeout);
    }

    [Fact]
    public async Task ForgottenPassword_AnswersAnExistingAndAMissingAddress_Identically()
    {
        using var first = _app.CreateRealClient();
        using var second = _app.CreateRealClient();

        var existing = await RequestResetAsync(first, Wile);
        var missing = await RequestResetAsync(second, "nobody@acme.example");

        Assert.Equal(HttpStatusCode.OK, existing.StatusCode);
        Assert.Equal(existing.StatusCode, missing.StatusCode);
        var existingBody = await existing.Content.ReadAsStringAsync();
        var missingBody = await missing.Content.ReadAsStringAsync();
        Assert.Contains("id=\"reset-requested\"", existingBody, StringComparison.Ordinal);
        // Blazor's persisted component state is encrypted afresh for every response: only its length can be compared.
        Assert.Equal(
            ComponentState().Matches(existingBody).Select(m => m.Length),
            ComponentState().Matches(missingBody).Select(m => m.Length)
        );
        Assert.Equal(Normalized(existingBody), Normalized(missingBody));
        Assert.Equal(
            existing.Headers.Concat(existing.Content.Headers).Select(h => h.Key).Order(),
            missing.Headers.Concat(missing.Content.Headers).Select(h => h.Key).Order()
        );
    }

    [Fact]
    public async Task ForgottenPassword_EmailsALinkToThisServer_ThroughTheSmtpServer()
    {
        using var client = _app.CreateRealClient();

        await RequestResetAsync(client, Wile);

        var email = await _smtp.WaitForMessageAsync(m => IsTo(m, Wile, ResetSubject), EmailTimeout);
        Assert.Equal("helpdesk@example.com", Assert.Single(email.From.Mailboxes).Address);
        var link = LinkPattern().Match(email.TextBody!);
        Assert.True(link.Success, $"No set-password link in the email:\n{email.TextBody}");
        Assert.Equal(_address, link.Groups["origin"].Value);
    }

    [Fact]
    public async Task ForgottenPassword_ForAMissingAddress_EmailsNothing()
    {
        using var client = _app.CreateRealClient();
        await RequestResetAsync(client, "nobody@acme.example");

        // A request for an existing address afterwards arrives; nothing has arrived for the missing one by then.
        await RequestResetAsync(client, Wile);
        await _smtp.WaitForMessageAsync(m => IsTo(m, Wile, ResetSubject), EmailTimeout);

        Assert.DoesNotContain(_smtp.ReadMessages(), m => m.To.Mailboxes.Any(a => a.Address == "nobody@acme.example"));
    }

    [Fact]
    public async Task TheEmailedLink_SetsANewPasswordOnce_AndTheNewPasswordSignsIn()
    {
        const string newPassword = "plateau juniper mesa forty one";
        using var client = _app.CreateRealClient();
        await RequestResetAsync(client, Wile);
        var (path, verifier) = await LinkFromEmailAsync(Wile);

        var set = await SetPasswordAsync(client, path, verifier, newPassword);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Contains("id=\"password-set\"", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var visitor = _app.CreateRealClient();
        Assert.Equal(HttpStatusCode.Redirect, (await HttpForms.SignInAsync(visitor, Wile, newPassword)).StatusCode);
        using var oldPassword = _app.CreateRealClient();
        Assert.Equal(HttpStatusCode.OK, (await HttpForms.SignInAsync(oldPassword, Wile, TestPasswords.Default)).StatusCode);
        var again = await client.GetStringAsync(path);
        Assert.Contains("id=\"link-unusable\"", again, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"set-password\"", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLinkPage_WithAWrongVerifier_SetsNothing()
    {
        using var client = _app.CreateRealClient();
        await RequestResetAsync(client, Wile);
        var (path, _) = await LinkFromEmailAsync(Wile);
        var (_, wrong) = BlazorVault.Core.Security.OneTimeLink.New();

        var refused = await SetPasswordAsync(client, path, wrong, "plateau juniper mesa forty one");

        Assert.Contains(
            "This link has expired or has already been used.",
            await refused.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        using var visitor = _app.CreateRealClient();
        Assert.Equal(HttpStatusCode.Redirect, (await HttpForms.SignInAsync(visitor, Wile, TestPasswords.Default)).StatusCode);
    }

    [Fact]
    public async Task AnExpiredPassword_DoesNotSignIn_EmailsAResetLink_AndTheNewPasswordSignsIn()
    {
        const string newPassword = "plateau juniper mesa forty two";
        await SaveAsync(
            new UserSettings
            {
                PasswordExpiryEnabled = true,
                PasswordExpiryDays = 90,
                ReminderDays = 7,
            }
        );
        // The app runs on the real clock: the password is made 91 days old instead.
        await _app.AsSystemAsync<IDbContextFactory<BlazorVaultDbContext>, int>(async factory =>
        {
            await using var db = await factory.CreateDbContextAsync();
            return await db
                .Users.Where(u => u.Email == Wile)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordChangedAt, DateTime.UtcNow.AddDays(-91)));
        });
        using var client = _app.CreateRealClient();

        var refused = await HttpForms.SignInAsync(client, Wile, TestPasswords.Default);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(
            "Your password has expired. We have emailed you a link to choose a new one",
            await refused.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
        var (path, verifier) = await LinkFromEmailAsync(Wile);
        var set = await SetPasswordAsync(client, path, verifier, newPassword);
        Assert.Contains("id=\"password-set\"", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await HttpForms.SignInAsync(client, Wile, newPassword)).StatusCode);
    }

    [Fact]
    public async Task TheLinksVerifier_AndTheNewPassword_NeverReachTheLogsOrTheDatabaseFiles()
    {
        var newPassword = $"canary-password-{Guid.NewGuid():N}";
        string selector;
        string verifier;
        string logs;
        await using (_app)
        {
            using var client = _app.CreateRealClient();
            await RequestResetAsync(client, Wile);
            (var path, verifier) = await LinkFromEmailAsync(Wile);
            selector = path[(path.LastIndexOf('/') + 1)..];
            var set = await SetPasswordAsync(client, path, verifier, newPassword);
            Assert.Contains("id=\"password-set\"", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await HttpForms.SignInAsync(client, Wile, newPassword)).StatusCode);
            logs = _app.Logs.All;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(Path.Combine(_data.Path, "db"));
        Assert.Contains(files, f => f.EndsWith(StoragePaths.DatabaseFileName, StringComparison.Ordinal));
        var contents = await Task.WhenAll(files.Select(f => File.ReadAllBytesAsync(f)));
        // The scan does see what the files hold: the link's selector, stored in clear to find the link, is there.
        Assert.Contains(contents, bytes => Contains(bytes, Encoding.UTF8.GetBytes(selector)));
        Assert.Contains("set a new password from a Reset link", logs, StringComparison.Ordinal);

        foreach (var canary in new[] { verifier, newPassword })
        {
            Assert.DoesNotContain(canary, logs, StringComparison.Ordinal);
            foreach (var bytes in contents)
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(canary)), $"{canary} found (UTF-8) in the database files");
                Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(canary)), $"{canary} found (UTF-16) in the database files");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _smtp.DisposeAsync();
        _data.Dispose();
    }

    private static Task<HttpResponseMessage> RequestResetAsync(HttpClient client, string email) =>
        HttpForms.SubmitAsync(
            client,
            "/Account/ForgotPassword",
            "forgot-password",
            new Dictionary<string, string> { ["Input.Email"] = email }
        );

    /// <summary>What the link page's script does: the verifier from the URL fragment goes into the form's body.</summary>
    private static Task<HttpResponseMessage> SetPasswordAsync(HttpClient client, string path, string verifier, string password) =>
        HttpForms.SubmitAsync(
            client,
            path,
            "set-password",
            new Dictionary<string, string>
            {
                ["Input.Verifier"] = verifier,
                ["Input.NewPassword"] = password,
                ["Input.ConfirmPassword"] = password,
            }
        );

    /// <returns>The link's path (what a browser requests) and its verifier (the fragment, which a browser never sends).</returns>
    private async Task<(string Path, string Verifier)> LinkFromEmailAsync(string to)
    {
        var email = await _smtp.WaitForMessageAsync(m => IsTo(m, to, ResetSubject), EmailTimeout);
        var link = LinkPattern().Match(email.TextBody!);
        Assert.True(link.Success, $"No set-password link in the email:\n{email.TextBody}");
        return (link.Groups["path"].Value, link.Groups["verifier"].Value);
    }

    private async Task SaveAsync<T>(T values)
        where T : SettingsSection, new() =>
        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            await s.SaveAsync(values);
            return true;
        });

    private static bool IsTo(MimeMessage message, string to, string subject) =>
        message.Subject == subject && message.To.Mailboxes.Any(a => a.Address == to);

    /// <summary>The page without what differs in every response: antiforgery tokens and the encrypted component state.</summary>
    private static string Normalized(string html) =>
        ComponentState().Replace(AntiforgeryToken().Replace(html, "${name}value=\"\""), "<!--Blazor-Server-Component-State:-->");

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    [GeneratedRegex("(?<origin>https?://[^/\\s]+)(?<path>/account/password/[A-Za-z0-9_-]+)#(?<verifier>[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("(?<name>name=\"__RequestVerificationToken\"\\s+)value=\"[^\"]*\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<!--Blazor-Server-Component-State:[^-]*-->")]
    private static partial Regex ComponentState();
}
