using System.Data.Common;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Settings.Core;

/// <summary>
/// The stored SMTP password belongs to the server it was typed for: changing the SMTP host, port or TLS mode removes it
/// (audited) unless it is typed again in the same save, so it never reaches a server an administrator names later.
/// </summary>
public abstract class SmtpPasswordTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string OldPassword = "old-smtp-canary-3f1c";
    private const string NewPassword = "new-smtp-canary-9a7e";

    private readonly SecretReads _secretReads = new();
    private CoreTestHost _host = default!;
    private SmtpTestServer _smtp = default!;

    private SettingsService Settings => _host.Get<SettingsService>();

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync();
        _host = await CoreTestHost.StartAsync(
            configure: services => services.ConfigureDbContext<BlazorVaultDbContext>(o => o.AddInterceptors(_secretReads)),
            databases: databases
        );
        await _host.ActAsAsync(await _host.CreateAgentAsync("ada@example.com", isAdmin: true));
        var email = await Settings.GetAsync<EmailSettings>();
        email.SmtpHost = "smtp.example.com";
        email.SmtpPort = 587;
        email.TlsMode = SmtpTlsMode.StartTls;
        email.SmtpUser = "helpdesk";
        await Settings.SaveAsync(email, Typed(OldPassword));
    }

    [Theory]
    [InlineData(nameof(EmailSettings.SmtpHost))]
    [InlineData(nameof(EmailSettings.SmtpPort))]
    [InlineData(nameof(EmailSettings.TlsMode))]
    public async Task ChangingTheServer_WithoutTypingThePasswordAgain_RemovesTheStoredPassword_AndAuditsWhy(string setting)
    {
        var email = await Settings.GetAsync<EmailSettings>();
        switch (setting)
        {
            case nameof(EmailSettings.SmtpHost):
                email.SmtpHost = "mail.elsewhere.example";
                break;
            case nameof(EmailSettings.SmtpPort):
                email.SmtpPort = 2525;
                break;
            default:
                email.TlsMode = SmtpTlsMode.Tls;
                break;
        }

        await Settings.SaveAsync(email);

        Assert.False(await Settings.IsSecretSetAsync<EmailSettings>(EmailSettings.SmtpPasswordName));
        await using (var db = await _host.OpenDbAsync())
        {
            Assert.False(await db.Secrets.AnyAsync(s => s.Purpose == "settings" && s.FieldId == EmailSettings.SmtpPasswordName));
        }

        var audit = (await _host.Get<AuditQueryService>().ListAsync(new AuditQuery(Action: AuditActions.SettingsChanged))).Items;
        Assert.Contains(audit, e => e.Details == $"{{\"secret\":\"SmtpPassword\",\"change\":\"removed\",\"because\":[\"{setting}\"]}}");
        Assert.DoesNotContain(audit, e => e.Details!.Contains(OldPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangingAnyOtherSetting_KeepsTheStoredPassword()
    {
        var email = await Settings.GetAsync<EmailSettings>();
        email.FromAddress = "helpdesk@example.com";
        email.SmtpUser = "helpdesk2";

        await Settings.SaveAsync(email);

        Assert.Equal(OldPassword, (await Settings.ReadWithSecretAsync<EmailSettings>(EmailSettings.SmtpPasswordName)).Secret);
    }

    [Fact]
    public async Task TheTestEmailToANewServer_NeverSignsInWithTheOldPassword_OnlyWithOneTypedForIt()
    {
        var email = await Settings.GetAsync<EmailSettings>();
        email.SmtpHost = SmtpTestServer.Host;
        email.SmtpPort = _smtp.Port;
        email.TlsMode = SmtpTlsMode.None;
        await Settings.SaveAsync(email);

        var refused = await _host.Get<EmailDelivery>().SendTestAsync("ops@example.com");

        Assert.DoesNotContain(_smtp.ReadSignIns(), s => s.Password == OldPassword);
        Assert.Equal(
            new EmailTestResult(
                false,
                "An SMTP user name is set but no SMTP password is stored: type the password in the Email settings and save."
            ),
            refused
        );

        // Typed again in a save, it is the password the new server receives.
        await Settings.SaveAsync(await Settings.GetAsync<EmailSettings>(), Typed(NewPassword));
        var sent = await _host.Get<EmailDelivery>().SendTestAsync("ops@example.com");

        Assert.True(sent.Succeeded, sent.Message);
        Assert.Equal([("helpdesk", NewPassword)], _smtp.ReadSignIns());
        Assert.Equal("BlazorVault test email", Assert.Single(await _smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10))).Subject);
    }

    [Fact]
    public async Task ASaveLandingWhileTheMailerReadsThePassword_NeverPairsTheNewPasswordWithTheOldServer()
    {
        await using var next = await SmtpTestServer.StartAsync();
        var email = await Settings.GetAsync<EmailSettings>();
        email.SmtpHost = SmtpTestServer.Host;
        email.SmtpPort = _smtp.Port;
        email.TlsMode = SmtpTlsMode.None;
        await Settings.SaveAsync(email, Typed(OldPassword));
        _secretReads.BeforeNextRead = async () =>
        {
            // Another administrator moves to the next server, with its own password, just as the mailer reads the password.
            var moving = await Settings.GetAsync<EmailSettings>();
            moving.SmtpPort = next.Port;
            await Settings.SaveAsync(moving, Typed(NewPassword));
        };

        var sent = await _host.Get<EmailDelivery>().SendTestAsync("ops@example.com");

        Assert.DoesNotContain(_smtp.ReadSignIns(), s => s.Password == NewPassword);
        Assert.Equal(new EmailTestResult(true, $"Sent to ops@example.com through 127.0.0.1:{next.Port}."), sent);
        Assert.Equal([("helpdesk", NewPassword)], next.ReadSignIns());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static Dictionary<string, string?> Typed(string password) => new() { [EmailSettings.SmtpPasswordName] = password };

    /// <summary>Runs a step of the test just before the next read of the secrets table outside a transaction.</summary>
    private sealed class SecretReads : DbCommandInterceptor
    {
        private Func<Task>? _hook;

        public Func<Task>? BeforeNextRead
        {
            set => _hook = value;
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command,
            CommandEventData eventData,
            InterceptionResult<DbDataReader> result,
            CancellationToken cancellationToken = default
        )
        {
            if (
                command.Transaction is null
                && command.CommandText.Contains("FROM \"Secrets\"", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _hook, null) is { } hook
            )
            {
                await hook();
            }

            return result;
        }
    }

    public sealed class OnSqlite() : SmtpPasswordTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : SmtpPasswordTests(postgres);
}
