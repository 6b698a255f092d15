using System.Security.Cryptography;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Persistence.EndToEnd;

/// <summary>
/// <c>migrate-database --to</c> as an operator runs it: an SQLite installation in use (accounts, a stored password, a secure
/// message, audit events written to the tick) moves to PostgreSQL, the app starts there on the same key folder, and the
/// agent signs in with the old password, reveals the password and the recipient opens the message.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class MigrateDatabaseTests(BrowserFixture browser, PostgresServer postgres) : IAsyncLifetime
{
    private const string StoredPassword = "Moved canary 5d2e-Acme!";
    private const string MessageContent = "Door code: moved-message-canary-81f3";

    private readonly TempDirectory _data = new();
    private TestDatabase _target = default!;

    private string DatabaseFile => Path.Combine(_data.Path, "db", StoragePaths.DatabaseFileName);

    public async ValueTask InitializeAsync() => _target = await postgres.CreateAsync();

    [Fact]
    public async Task AnSqliteInstallation_MovesToPostgreSql_AndKeepsItsAccountsSecretsMessagesAndAuditChain()
    {
        var (acme, messagePath) = await SeedSqliteInstallationAsync();
        var sqliteAudit = await ReadSqliteAuditAsync();
        // SQLite keeps every tick: these events carry the sub-microsecond times that PostgreSQL's timestamps would lose.
        Assert.Contains(sqliteAudit, e => e.Ticks % 10 != 0);
        // The seeded password and whatever else holds a secret at this moment (the outbox's emails): a sample of 25 takes all.
        var sqliteSecrets = await CountSqliteSecretsAsync();
        Assert.InRange(sqliteSecrets, 1, 25);
        var before = await FingerprintAsync();

        var moved = await CliProcess.RunAsync(_data.Path, "Development", "migrate-database", "--to", _target.ConnectionString!);

        Assert.True(moved.ExitCode == 0, moved.Output + moved.Error);
        Assert.Contains("AuditEvents: ", moved.Output, StringComparison.Ordinal);
        Assert.Contains(
            $"ok   audit log: chain intact ({sqliteAudit.Count} events) of {sqliteAudit.Count} copied",
            moved.Output,
            StringComparison.Ordinal
        );
        Assert.Contains(
            $"ok   secrets: {sqliteSecrets} of {sqliteSecrets} sampled decrypt with the key folder to the SQLite values",
            moved.Output,
            StringComparison.Ordinal
        );
        Assert.Matches(@"ok   row counts: \d+ tables, [\d,]+ rows", moved.Output);
        var password = new Npgsql.NpgsqlConnectionStringBuilder(_target.ConnectionString).Password!;
        Assert.DoesNotContain(password, moved.Output + moved.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(StoredPassword, moved.Output + moved.Error, StringComparison.Ordinal);
        Assert.Equal(before, await FingerprintAsync());

        var again = await CliProcess.RunAsync(_data.Path, "Development", "migrate-database", "--to", _target.ConnectionString!);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("The target database is not empty", again.Error, StringComparison.Ordinal);

        using var app = new AppFactory(settings: new(_target.Configuration), data: _data);
        var address = app.StartAndGetAddress();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync())
        {
            // The same events, to the tick, though PostgreSQL's timestamps stop at the microsecond.
            var events = await db.AuditEvents.OrderBy(e => e.Sequence).Take(sqliteAudit.Count).ToListAsync();
            Assert.Equal(sqliteAudit, events.Select(e => (e.Sequence, e.OccurredAt.Ticks, e.Hash)).ToList());
        }

        await using (var agent = await BrowserSession.OpenAsync(browser, address))
        {
            await agent.SignInAsync("alex@example.com");
            await agent.GotoAsync($"/customers/{acme}");
            await agent.Page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
            await agent.Page.GetByRole(AriaRole.Button, new() { Name = "Reveal password for svc-backup", Exact = true }).ClickAsync();
            await Assertions.Expect(agent.Page.Locator("[data-secret-value=shown]")).ToHaveTextAsync(StoredPassword);
            await agent.ScreenshotAsync("migrate-database-reveal-on-postgresql");
        }

        await using (var recipient = await BrowserSession.OpenAsync(browser, address))
        {
            await recipient.Page.GotoAsync(messagePath);
            await recipient.Page.Locator("#view-message").ClickAsync();
            await Assertions.Expect(recipient.Page.Locator("#secure-content")).ToHaveValueAsync(MessageContent);
        }

        var verification = await app.AsSystemAsync<AuditVerifier, AuditVerification>(v => v.VerifyAsync());
        Assert.True(verification.IsIntact, verification.ToString());
        Assert.True(verification.EventCount > sqliteAudit.Count);
    }

    [Fact]
    public async Task ASourceThatIsNotMigrated_OrABadTarget_IsRefused_AndNothingIsWritten()
    {
        var missing = await CliProcess.RunAsync(_data.Path, "Development", "migrate-database", "--to", _target.ConnectionString!);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("There is no SQLite database at", missing.Error, StringComparison.Ordinal);

        var noTarget = await CliProcess.RunAsync(_data.Path, "Development", "migrate-database");
        Assert.Equal(2, noTarget.ExitCode);
        Assert.Contains("migrate-database needs --to", noTarget.Error, StringComparison.Ordinal);

        var notAConnectionString = await CliProcess.RunAsync(
            _data.Path,
            "Development",
            "migrate-database",
            "--to",
            "Nonsense=1;Password=p4ss"
        );
        Assert.Equal(2, notAConnectionString.ExitCode);
        Assert.Contains("--to is not a PostgreSQL connection string", notAConnectionString.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("p4ss", notAConnectionString.Error, StringComparison.Ordinal);

        await using var target = new Npgsql.NpgsqlConnection(_target.ConnectionString);
        await target.OpenAsync();
        await using var tables = new Npgsql.NpgsqlCommand(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
            target
        );
        Assert.Equal(0L, await tables.ExecuteScalarAsync());
    }

    /// <summary>The installation on SQLite, as it stands when its operator stops it to move.</summary>
    private async Task<(int Acme, string MessagePath)> SeedSqliteInstallationAsync()
    {
        using var app = new AppFactory(data: _data);
        app.StartAndGetAddress();
        await app.CreateAdminAsync("ada@example.com");
        await app.CreateAgentAsync("Alex Agent", "alex@example.com");
        var acme = await app.CreateCustomerAsync("Acme");
        var wile = await app.CreatePortalUserAsync(acme, "Wile Coyote", "wile@acme.example");
        var ticket = await app.CreateTicketAsync(acme, wile, "Backup account");
        await app.AsSystemAsync<CustomerVaultService, int>(s =>
            s.CreateRowAsync(
                acme,
                PasswordsTable,
                new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = "svc-backup", [PasswordField] = StoredPassword })
            )
        );
        await app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            await s.SaveAsync(new TicketSettings { SecureMessagesEnabled = true });
            return true;
        });
        var message = await app.AsSystemAsync<SecureMessageService, CreatedSecureMessage>(s =>
            s.CreateAsync(ticket, new SecureMessageInput { Content = MessageContent, ExpiryDays = 7 })
        );
        return (acme, message.Path);
    }

    /// <summary>Read once the app has stopped, so no job adds an event afterwards.</summary>
    private async Task<List<(long Sequence, long Ticks, string Hash)>> ReadSqliteAuditAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabaseFile};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Sequence", "OccurredAt", "Hash" FROM "AuditEvents" ORDER BY "Sequence" """;
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<(long, long, string)>();
        while (await reader.ReadAsync())
        {
            events.Add((reader.GetInt64(0), reader.GetDateTime(1).Ticks, reader.GetString(2)));
        }

        return events;
    }

    private async Task<long> CountSqliteSecretsAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabaseFile};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT COUNT(*) FROM "Secrets" """;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The database file and its write-ahead log, when that holds anything (a reader may create it empty).</summary>
    private async Task<string> FingerprintAsync()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(DatabaseFile)!, StoragePaths.DatabaseFileName + "*").Order();
        var hashes = new List<string>();
        foreach (var file in files.Where(f => !f.EndsWith("-shm", StringComparison.Ordinal) && new FileInfo(f).Length > 0))
        {
            hashes.Add($"{Path.GetFileName(file)}={Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(file)))}");
        }

        return string.Join(";", hashes);
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await _target.DisposeAsync();
        _data.Dispose();
    }
}
