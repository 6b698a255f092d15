using BlazorVault.Core.Accounts;
using BlazorVault.Core.LegacyMigrations;
using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorVault.Tests.Persistence.Core;

/// <summary>
/// An installation can be at any earlier migration when a new version starts on it: each stage is built by that
/// stage's own migrations, filled with the rows its tables allowed, then brought to the latest by the start-up
/// initializer.
/// </summary>
public sealed class DatabaseUpgradeTests
{
    private const string AccountPasswords = "20261124010138_AccountPasswords";

    private const string AgentCreatedAt = "2026-10-01 08:00:00";

    /// <summary>
    /// Rows in every table that holds data, parents first. A row goes into a stage's database when its table and all
    /// of its columns exist at that stage; an update fills columns that later migrations added to an earlier row.
    /// </summary>
    private static readonly Seed[] Seeds =
    [
        Seed.Insert(
            "Customers",
            ("Id", 41L),
            ("Name", "Contoso"),
            ("NormalizedName", "CONTOSO"),
            ("Reference", "C-041"),
            ("Email", "it@contoso.example"),
            ("Notes", "Night shift uses the side door"),
            ("IsActive", 1L),
            ("CreatedAt", "2026-10-01 07:00:00"),
            ("UpdatedAt", "2026-10-02 07:00:00")
        ),
        Seed.Insert(
            "AspNetUsers",
            ("Id", "agent-1"),
            ("DisplayName", "Alex Agent"),
            ("CreatedAt", AgentCreatedAt),
            ("UserName", "alex@helpdesk.example"),
            ("NormalizedUserName", "ALEX@HELPDESK.EXAMPLE"),
            ("Email", "alex@helpdesk.example"),
            ("NormalizedEmail", "ALEX@HELPDESK.EXAMPLE"),
            ("EmailConfirmed", 1L),
            ("PasswordHash", "AQAAAAIAAYagAAAAEAgentHash"),
            ("SecurityStamp", "STAMP-AGENT"),
            ("PhoneNumberConfirmed", 0L),
            ("TwoFactorEnabled", 0L),
            ("LockoutEnabled", 1L),
            ("AccessFailedCount", 2L)
        ),
        Seed.Insert(
            "AspNetUsers",
            ("Id", "portal-1"),
            ("DisplayName", "Pat Portal"),
            ("CustomerId", 41L),
            ("CreatedAt", "2026-10-03 09:30:00"),
            ("UserName", "pat@contoso.example"),
            ("Email", "pat@contoso.example"),
            ("EmailConfirmed", 0L),
            ("PhoneNumberConfirmed", 0L),
            ("TwoFactorEnabled", 0L),
            ("LockoutEnabled", 1L),
            ("AccessFailedCount", 0L)
        ),
        Seed.Insert("AspNetUserRoles", ("UserId", "agent-1"), ("RoleId", "2c5e6f0a-5a4e-4c51-9a0e-7f1d6f0b0a01")),
        Seed.Insert("AspNetUserClaims", ("Id", 3L), ("UserId", "agent-1"), ("ClaimType", "team"), ("ClaimValue", "north")),
        Seed.Insert("InstallationStates", ("Id", 1L), ("SetupCompletedAt", "2026-10-01 08:05:00"), ("SetupCompletedByUserId", "agent-1")),
        Seed.Insert(
            "Tickets",
            ("Id", 501L),
            ("CustomerId", 41L),
            ("RequesterId", "portal-1"),
            ("Subject", "Printer offline"),
            ("Description", "Third floor"),
            ("Status", "Open"),
            ("Priority", "High"),
            ("CreatedById", "agent-1"),
            ("CreatedAt", "2026-10-04 10:00:00"),
            ("UpdatedAt", "2026-10-04 11:00:00")
        ),
        Seed.Insert(
            "TicketActivities",
            ("Id", 9001L),
            ("TicketId", 501L),
            ("Kind", "Comment"),
            ("Body", "Restarted the spooler"),
            ("ActorId", "agent-1"),
            ("ActorName", "Alex Agent"),
            ("CreatedAt", "2026-10-04 11:00:00")
        ),
        Seed.Update("AspNetUsers", ("Id", "portal-1"), ("DisabledAt", "2026-10-20 12:00:00")),
        Seed.Insert(
            "AuditEvents",
            ("Sequence", 1L),
            ("OccurredAt", "2026-10-05 09:00:00"),
            ("ActorId", "agent-1"),
            ("ActorName", "Alex Agent"),
            ("Action", "SecretRevealed"),
            ("TargetType", "CustomValue"),
            ("TargetId", "30:4"),
            ("CustomerId", 41L),
            ("IpAddress", "10.0.0.8"),
            ("UserAgent", "Firefox"),
            ("Details", "{\"field\":\"Password\"}"),
            ("PreviousHash", new string('0', 64)),
            ("Hash", new string('a', 64))
        ),
        Seed.Update("AuditChainHeads", ("Id", 1L), ("LastSequence", 1L), ("LastHash", new string('a', 64))),
        Seed.Insert(
            "Settings",
            ("Section", "Email"),
            ("Json", "{\"SmtpHost\":\"mail.contoso.example\"}"),
            ("UpdatedAt", "2026-10-06 09:00:00"),
            ("UpdatedBy", "Alex Agent")
        ),
        Seed.Insert(
            "JobRuns",
            ("Id", 3L),
            ("JobKey", "audit-verify"),
            ("StartedAt", "2026-10-07 02:00:00"),
            ("FinishedAt", "2026-10-07 02:00:04"),
            ("Succeeded", 1L),
            ("Message", "1 event verified")
        ),
        Seed.Insert(
            "EncryptionKeys",
            ("Thumbprint", new string('B', 64)),
            ("Subject", "CN=BlazorVault"),
            ("FirstSeenAt", "2026-10-01 08:00:00"),
            ("GeneratedByBlazorVault", 1L),
            ("BackupAcknowledgedAt", "2026-10-01 08:10:00"),
            ("BackupAcknowledgedBy", "Alex Agent")
        ),
        Seed.Update("EncryptionState", ("Id", 1L), ("ActiveThumbprint", new string('B', 64))),
        Seed.Insert(
            "Secrets",
            ("Id", 12L),
            ("Purpose", "CustomValue"),
            ("EntityId", "30"),
            ("FieldId", "4"),
            ("FormatVersion", 1L),
            ("Ciphertext", new byte[] { 1, 2, 3, 4 }),
            ("Nonce", new byte[] { 5, 6, 7 }),
            ("Tag", new byte[] { 8, 9 }),
            ("WrappedKey", new byte[] { 10, 11, 12 }),
            ("CertificateThumbprint", new string('B', 64)),
            ("Revision", 2L),
            ("UpdatedAt", "2026-10-08 09:00:00")
        ),
        Seed.Insert("CustomTables", ("Id", 2L), ("Name", "Licences"), ("LinkedEntity", "Customer"), ("CreatedAt", "2026-10-09 09:00:00")),
        Seed.Insert(
            "CustomTableFields",
            ("Id", 7L),
            ("TableId", 2L),
            ("Order", 1L),
            ("Label", "Licence key"),
            ("Type", "Password"),
            ("Required", 1L)
        ),
        Seed.Insert("CustomerFields", ("Id", 2L), ("Label", "Licences"), ("Type", "Table"), ("LinkedTableId", 2L), ("Order", 2L)),
        Seed.Insert(
            "CustomRows",
            ("Id", 30L),
            ("TableId", 1L),
            ("CustomerId", 41L),
            ("CreatedAt", "2026-10-09 10:00:00"),
            ("CreatedBy", "Alex Agent"),
            ("UpdatedAt", "2026-10-09 11:00:00"),
            ("UpdatedBy", "Alex Agent")
        ),
        Seed.Insert("CustomValues", ("RowId", 30L), ("FieldId", 3L), ("Text", "administrator"), ("SearchText", "administrator")),
        Seed.Insert(
            "CustomValues",
            ("RowId", 30L),
            ("FieldId", 4L),
            ("SecretChangedAt", "2026-10-09 10:00:00"),
            ("SecretChangedBy", "Alex Agent"),
            ("LastRevealedAt", "2026-10-10 10:00:00"),
            ("LastRevealedBy", "Alex Agent")
        ),
        Seed.Insert("CustomVisibility", ("Id", 5L), ("TableId", 2L), ("CustomerId", 41L)),
        Seed.Insert("CustomVisibility", ("Id", 6L), ("FieldId", 7L), ("CustomerId", 41L)),
        Seed.Insert(
            "CustomerFields",
            ("Id", 3L),
            ("Label", "Account manager"),
            ("Type", "SingleSelect"),
            ("Order", 3L),
            ("Options", "Dana\nSam"),
            ("Required", 1L)
        ),
        Seed.Insert("CustomerFieldValues", ("CustomerFieldId", 3L), ("CustomerId", 41L), ("Text", "Dana")),
        Seed.Insert(
            "SecureMessages",
            ("Id", "6F9619FF-8B86-D011-B42D-00C04FC964FF"),
            ("TicketId", 501L),
            ("CustomerId", 41L),
            ("Selector", "selector-501"),
            ("VerifierHash", new byte[] { 21, 22 }),
            ("Ciphertext", new byte[] { 23, 24 }),
            ("Nonce", new byte[] { 25 }),
            ("Tag", new byte[] { 26 }),
            ("Salt", new byte[] { 27, 28 }),
            ("HasPassphrase", 1L),
            ("AttemptLimit", 5L),
            ("FailedAttempts", 1L),
            ("Status", "Active"),
            ("CreatedAt", "2026-10-11 09:00:00"),
            ("CreatedByName", "Alex Agent"),
            ("ExpiresAt", "2026-10-18 09:00:00")
        ),
        Seed.Update("SecureMessages", ("Id", "6F9619FF-8B86-D011-B42D-00C04FC964FF"), ("RecipientId", "portal-1"), ("RequiresSignIn", 1L)),
        Seed.Update("AspNetUsers", ("Id", "agent-1"), ("ExpiryReminderSentAt", "2026-10-25 06:00:00")),
        Seed.Insert(
            "PasswordHistory",
            ("Id", 4L),
            ("UserId", "agent-1"),
            ("PasswordHash", "AQAAAAIOldHash"),
            ("CreatedAt", AgentCreatedAt)
        ),
        Seed.Insert(
            "PasswordLinks",
            ("Id", "0B1C2D3E-0000-4000-8000-000000000001"),
            ("Selector", "reset-selector"),
            ("VerifierHash", new byte[] { 31, 32 }),
            ("UserId", "portal-1"),
            ("Purpose", "Reset"),
            ("CreatedAt", "2026-10-12 09:00:00")
        ),
        Seed.Insert(
            "OutboxEmails",
            ("Id", 8L),
            ("Kind", "Welcome"),
            ("ToAddress", "pat@contoso.example"),
            ("UserId", "portal-1"),
            ("HasLink", 1L),
            ("Subject", "Welcome"),
            ("Status", "Pending"),
            ("Attempts", 1L),
            ("NextAttemptAt", "2026-10-12 09:05:00"),
            ("CreatedAt", "2026-10-12 09:00:00"),
            ("LastError", "connection refused")
        ),
    ];

    /// <summary>Every migration before the latest: the history before the baseline, then the baseline's successors.</summary>
    public static TheoryData<string> EarlierMigrations()
    {
        using var directory = new TempDirectory(withTestKey: false);
        using var services = AppServices(PathsIn(directory.Path), new CapturedLogs());
        using var db = services.GetRequiredService<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContext();
        using var legacy = LegacyMigrationsContext.Create(db.Database.GetConnectionString()!, NullLoggerFactory.Instance);
        return new(legacy.Database.GetMigrations().Concat(db.Database.GetMigrations().SkipLast(1)));
    }

    [Theory]
    [MemberData(nameof(EarlierMigrations))]
    public async Task Initialize_OnADatabaseMadeAtAnEarlierMigration_KeepsItsRowsAndEndsWithTheFreshSchema(string stage)
    {
        using var upgraded = new TempDirectory(withTestKey: false);
        var paths = PathsIn(upgraded.Path);
        Directory.CreateDirectory(paths.DatabaseDirectory);
        await MigrateToAsync(paths, stage);
        var seeded = await SeedAsync(paths.ConnectionString);
        Assert.Contains(seeded, seed => seed.Table == "Customers");

        var logs = await InitializeAsync(paths);

        var warnings = logs.Lines.Where(line => line.StartsWith("Warning Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.True(!warnings.Any(), $"EF warned while upgrading from {stage}:\n" + string.Join('\n', warnings));
        await using var connection = await OpenAsync(paths.ConnectionString);
        var missing = new List<string>();
        foreach (var seed in seeded)
        {
            if (await CountAsync(connection, seed.MatchSql, seed.Values) != 1)
            {
                missing.Add(seed.ToString());
            }
        }

        Assert.True(missing.Count == 0, $"rows lost or changed after upgrading from {stage}:\n" + string.Join('\n', missing));
        if (string.CompareOrdinal(stage, AccountPasswords) < 0)
        {
            // AccountPasswords counts a password's age from the account's creation when no change was recorded.
            var changed = await CountAsync(
                connection,
                """SELECT COUNT(*) FROM "AspNetUsers" WHERE "PasswordChangedAt" = $p0""",
                [("", AgentCreatedAt)]
            );
            Assert.Equal(1, changed);
        }

        Assert.Equal(["ok"], await ReadColumnAsync(connection, "PRAGMA integrity_check"));
        Assert.Empty(await ReadColumnAsync(connection, "SELECT \"table\" FROM pragma_foreign_key_check"));
        Assert.Equal(await FreshSchemaAsync(), await DescribeSchemaAsync(connection));
    }

    private static StoragePaths PathsIn(string directory) => StoragePaths.FromConfiguration(new ConfigurationBuilder().Build(), directory);

    /// <summary>
    /// The app's persistence wiring. Accounts belongs to it: Identity reads its schema version (passkeys) from the
    /// application's services while EF builds the model, and EF keeps the first model it builds for the process.
    /// </summary>
    private static ServiceProvider AppServices(StoragePaths paths, CapturedLogs logs) =>
        new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddPersistence(paths)
            .AddAccounts()
            .BuildServiceProvider();

    /// <summary>Builds the database with the migrations of the version that ended with <paramref name="migration"/>.</summary>
    private static async Task MigrateToAsync(StoragePaths paths, string migration)
    {
        await using var services = AppServices(paths, new CapturedLogs());
        await using var db = await services.GetRequiredService<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
        await using var legacy = LegacyMigrationsContext.Create(paths.ConnectionString, NullLoggerFactory.Instance);
        var migrator = legacy.Database.GetMigrations().Contains(migration) ? legacy.GetService<IMigrator>() : db.GetService<IMigrator>();
        await migrator.MigrateAsync(migration, TestContext.Current.CancellationToken);
    }

    /// <summary>The start-up initializer as the app wires it, logging into a capture.</summary>
    private static async Task<CapturedLogs> InitializeAsync(StoragePaths paths)
    {
        var logs = new CapturedLogs();
        await using var services = AppServices(paths, logs);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(TestContext.Current.CancellationToken);
        return logs;
    }

    private static async Task<IReadOnlyList<string>> FreshSchemaAsync()
    {
        using var fresh = new TempDirectory(withTestKey: false);
        var paths = PathsIn(fresh.Path);
        await InitializeAsync(paths);
        await using var connection = await OpenAsync(paths.ConnectionString);
        return await DescribeSchemaAsync(connection);
    }

    /// <summary>Inserts every seed row whose table and columns exist at this stage.</summary>
    private static async Task<List<Seed>> SeedAsync(string connectionString)
    {
        await using var connection = await OpenAsync(connectionString);
        var seeded = new List<Seed>();
        foreach (var seed in Seeds)
        {
            var columns = await ReadColumnAsync(connection, $"SELECT name FROM pragma_table_info('{seed.Table}')");
            if (seed.Values.All(value => columns.Contains(value.Column)))
            {
                // A column added later by AddColumn came with the default its migration gave existing rows; the
                // baseline creates it without one, so the row written at that stage carries the same default.
                var write = seed.IsUpdate ? seed : seed with { Values = [.. seed.Values, .. await AddedDefaultsAsync(connection, seed)] };
                await using var command = Command(connection, write.WriteSql, write.Values);
                Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
                seeded.Add(seed);
            }
        }

        return seeded;
    }

    /// <summary>The NOT NULL columns without a default that <paramref name="seed"/> leaves out, as 0 or "".</summary>
    private static async Task<List<(string Column, object? Value)>> AddedDefaultsAsync(SqliteConnection connection, Seed seed)
    {
        var sql = $"SELECT name, type FROM pragma_table_info('{seed.Table}') WHERE \"notnull\" = 1 AND dflt_value IS NULL AND pk = 0";
        await using var command = Command(connection, sql, []);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var defaults = new List<(string Column, object? Value)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var name = reader.GetString(0);
            if (seed.Values.All(v => v.Column != name))
            {
                defaults.Add((name, reader.GetString(1) == "INTEGER" ? 0L : ""));
            }
        }

        return defaults;
    }

    /// <summary>
    /// Tables with their columns (name, type, nullability, key), indexes and foreign keys. Column order and the
    /// DEFAULT clauses that AddColumn needs for existing rows are left out: EF names every column it reads and writes.
    /// </summary>
    private static async Task<IReadOnlyList<string>> DescribeSchemaAsync(SqliteConnection connection)
    {
        var schema = new List<string>();
        // EF's migrator makes its lock table when it runs; a database created from the script gets it at its first migration.
        const string Tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> '__EFMigrationsLock' ORDER BY name";
        foreach (var table in await ReadColumnAsync(connection, Tables))
        {
            schema.AddRange(
                await ReadColumnAsync(
                    connection,
                    $"""
                    SELECT 'table ' || m.name || CASE WHEN m.sql LIKE '%AUTOINCREMENT%' THEN ' autoincrement' ELSE '' END
                    FROM sqlite_master m WHERE m.name = '{table}'
                    UNION ALL SELECT * FROM (
                        SELECT '  column ' || name || ' ' || type || ' notnull=' || "notnull" || ' pk=' || pk
                        FROM pragma_table_info('{table}') ORDER BY name)
                    UNION ALL SELECT * FROM (
                        SELECT '  index ' || il.name || ' unique=' || il."unique" || ' ('
                            || (SELECT group_concat(name, ', ') FROM (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno)) || ')'
                        FROM pragma_index_list('{table}') il ORDER BY il.name)
                    UNION ALL SELECT * FROM (
                        SELECT '  foreign key ' || "from" || ' -> ' || "table" || '.' || "to" || ' on delete ' || on_delete
                        FROM pragma_foreign_key_list('{table}') ORDER BY "from")
                    """
                )
            );
        }

        schema.AddRange(
            await ReadColumnAsync(connection, "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('view', 'trigger')")
        );
        return schema;
    }

    private static async Task<SqliteConnection> OpenAsync(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, IEnumerable<(string Column, object? Value)> values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        var index = 0;
        foreach (var (_, value) in values)
        {
            command.Parameters.AddWithValue($"$p{index++}", value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<long> CountAsync(SqliteConnection connection, string sql, IEnumerable<(string, object?)> values)
    {
        await using var command = Command(connection, sql, values);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task<List<string>> ReadColumnAsync(SqliteConnection connection, string sql)
    {
        await using var command = Command(connection, sql, []);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>A row to insert, or (for an update) the key column first and then the columns to fill.</summary>
    private sealed record Seed(string Table, bool IsUpdate, (string Column, object? Value)[] Values)
    {
        public static Seed Insert(string table, params (string, object?)[] values) => new(table, false, values);

        public static Seed Update(string table, params (string, object?)[] values) => new(table, true, values);

        public string WriteSql =>
            IsUpdate
                ? $"""UPDATE "{Table}" SET {Join(", ", "=", skip: 1)} WHERE "{Values[0].Column}" = $p0"""
                : $"""INSERT INTO "{Table}" ({string.Join(", ", Values.Select(v => $"\"{v.Column}\""))}) VALUES ({Parameters})""";

        /// <summary>Counts the rows that still hold every seeded value (IS matches NULL too).</summary>
        public string MatchSql => $"""SELECT COUNT(*) FROM "{Table}" WHERE {Join(" AND ", "IS")}""";

        private string Parameters => string.Join(", ", Values.Select((_, i) => $"$p{i}"));

        public override string ToString() =>
            $"{Table}: " + string.Join(", ", Values.Select(v => $"{v.Column}={(v.Value is byte[] b ? Convert.ToHexString(b) : v.Value)}"));

        /// <summary>"Column" operator $pN for each value, the parameter numbered by the value's position.</summary>
        private string Join(string separator, string comparison, int skip = 0) =>
            string.Join(separator, Values.Select((v, i) => $"\"{v.Column}\" {comparison} $p{i}").Skip(skip));
    }
}
