using BlazorVault.Core.Audit;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.CustomObjects.Core;

/// <summary>Revealing and copying a stored password on SQLite and on PostgreSQL: audit first, then decrypt.</summary>
public abstract class RevealSecretCommandTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private int _acme;

    private RevealSecretCommand Reveal => _host.Get<RevealSecretCommand>();

    private CustomerVaultService Vault => _host.Get<CustomerVaultService>();

    private AuditQueryService AccessLog => _host.Get<AuditQueryService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        _acme = await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(await _host.CreateAgentAsync("alex@example.com"));
    }

    [Fact]
    public async Task ARowsPassword_IsNeverListed_AndARevealWritesExactlyOneAuditEventBeforeReturning()
    {
        var row = await CreateRowAsync(_acme, "admin@acme.example", "S3cret-Acme!");
        var before = await CountEventsAsync();

        var page = await Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery());
        var listed = Assert.Single(page.Items);
        Assert.False(listed.Values.ContainsKey(PasswordField));
        Assert.True(listed.Secrets[PasswordField].HasValue);
        Assert.Null(listed.Secrets[PasswordField].LastRevealedAt);
        Assert.Equal(before, await CountEventsAsync());

        var value = await Reveal.RevealAsync(row, PasswordField, RevealKind.Revealed);

        Assert.Equal(("S3cret-Acme!", "alex"), (value.Value, value.RevealedBy));
        Assert.DoesNotContain("S3cret-Acme!", value.ToString(), StringComparison.Ordinal);
        Assert.Equal(before + 1, await CountEventsAsync());
        var revealed = (await AccessLog.ListAccessLogAsync(_acme, take: 1)).Single();
        Assert.Equal((AuditActions.SecretRevealed, _acme, "alex"), (revealed.Action, revealed.CustomerId, revealed.ActorName));
        Assert.Contains("\"field\":\"Password\"", revealed.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret-Acme!", revealed.Details, StringComparison.Ordinal);
        var after = Assert.Single((await Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery())).Items);
        Assert.Equal("alex", after.Secrets[PasswordField].LastRevealedBy);

        await Reveal.RevealAsync(row, PasswordField, RevealKind.Copied);
        var log = await AccessLog.ListAccessLogAsync(_acme);
        Assert.Equal([AuditActions.SecretCopied, AuditActions.SecretRevealed, AuditActions.VaultRowCreated], log.Select(e => e.Action));
    }

    [Fact]
    public async Task WhenTheAuditWriteFails_NothingIsRevealed()
    {
        var row = await CreateRowAsync(_acme, "admin@acme.example", "never-shown-9a1");
        await using (var db = await _host.OpenDbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(
                databases.Provider == DatabaseProvider.Sqlite
                    ? """CREATE TRIGGER audit_down BEFORE INSERT ON "AuditEvents" BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END;"""
                    : """
                    CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'audit unavailable'; END $$;
                    CREATE TRIGGER audit_down BEFORE INSERT ON "AuditEvents" FOR EACH ROW EXECUTE FUNCTION audit_down();
                    """
            );
        }

        var ex = await Assert.ThrowsAsync<AuditUnavailableException>(() => Reveal.RevealAsync(row, PasswordField, RevealKind.Revealed));

        Assert.Contains("the password was not shown", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("never-shown-9a1", ex.ToString(), StringComparison.Ordinal);
        await using var check = await _host.OpenDbAsync();
        Assert.Null((await check.CustomValues.SingleAsync(v => v.RowId == row && v.FieldId == PasswordField)).LastRevealedAt);
    }

    [Fact]
    public async Task WhenAReasonIsRequired_TheRevealAsksForIt_AndRecordsIt()
    {
        var row = await CreateRowAsync(_acme, "admin@acme.example", "S3cret-Acme!");
        await _host.AsSystemAsync(async () =>
        {
            await _host.Get<SettingsService>().SaveAsync(new VaultSettings { RequireRevealReason = true });
            return true;
        });

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Reveal.RevealAsync(row, PasswordField, RevealKind.Revealed, "  ")
        );
        Assert.Equal(["Reason"], refused.Errors.Keys);

        Assert.Equal("S3cret-Acme!", (await Reveal.RevealAsync(row, PasswordField, RevealKind.Revealed, "Ticket #42")).Value);
        Assert.Contains("\"reason\":\"Ticket #42\"", (await AccessLog.ListAccessLogAsync(_acme))[0].Details, StringComparison.Ordinal);
    }

    private async Task<int> CreateRowAsync(int customer, string username, string password) =>
        await Vault.CreateRowAsync(
            customer,
            PasswordsTable,
            new VaultRowInput(
                new Dictionary<int, string?>
                {
                    [TypeField] = "Email",
                    [UsernameField] = username,
                    [PasswordField] = password,
                    [UrlField] = "https://mail.example.com",
                }
            )
        );

    private async Task<int> CountEventsAsync()
    {
        await using var db = await _host.OpenDbAsync();
        return await db.AuditEvents.CountAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : RevealSecretCommandTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : RevealSecretCommandTests(postgres);
}
