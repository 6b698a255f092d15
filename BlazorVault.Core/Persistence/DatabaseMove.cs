using System.Diagnostics;
using System.Globalization;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Crypto.Entities;
using BlazorVault.Core.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BlazorVault.Core.Persistence;

/// <summary>How far the copy of one table is.</summary>
public sealed record MoveProgress(string Table, long Copied, long Total);

/// <summary>One table's rows in the SQLite snapshot and in PostgreSQL after the copy.</summary>
public sealed record MovedTable(string Name, long SourceRows, long TargetRows);

/// <summary>What the move copied and what the checks after it found.</summary>
public sealed record MoveReport(
    IReadOnlyList<MovedTable> Tables,
    AuditVerification Audit,
    long SourceAuditEvents,
    int SecretsSampled,
    int SecretsDecrypted
)
{
    public bool Succeeded =>
        Tables.All(t => t.SourceRows == t.TargetRows)
        && Audit.IsIntact
        && Audit.EventCount == SourceAuditEvents
        && SecretsDecrypted == SecretsSampled;
}

/// <summary>The move did not start: the source or the target is not what it must be. Nothing was written.</summary>
public sealed class MoveRefusedException(string message) : Exception(message);

/// <summary>
/// Moves an installation from its SQLite database into an empty PostgreSQL database: every table of the model, read in one
/// snapshot of the source (opened read-only, so it is never modified) and written in one PostgreSQL transaction with the
/// schema the PostgreSQL migrations create, so the target ends either complete or as empty as it was. Then it checks the
/// target: row counts, the audit chain, and that a sample of secrets decrypts with the key ring to the source's values.
/// </summary>
/// <remarks>
/// Values go through the model's own conversions: each column is read with the SQLite mapping's type, turned into the model's
/// value, and written with the PostgreSQL mapping's type. SQLite hands back dates without a kind; they are UTC, as written.
/// </remarks>
public sealed class DatabaseMove(StoragePaths paths, SecretCipher cipher, ICurrentActor currentActor, IServiceProvider services)
{
    private const int SecretSample = 25;
    private const int ProgressEvery = 5000;

    public async Task<MoveReport> ToPostgreSqlAsync(
        string targetConnectionString,
        IProgress<MoveProgress> progress,
        CancellationToken cancellationToken = default
    )
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        if (paths.Provider != DatabaseProvider.Sqlite)
        {
            throw new MoveRefusedException(
                "This installation is configured for PostgreSQL already; migrate-database moves the configured SQLite database."
            );
        }

        var target = ParseTarget(targetConnectionString);
        await using var source = await OpenSourceAsync(cancellationToken);
        await using var sourceTransaction = (SqliteTransaction)await source.BeginTransactionAsync(cancellationToken);
        await using var sourceDb = new BlazorVaultDbContext(Options(DatabaseProvider.Sqlite, source.ConnectionString));
        await RefuseUnmigratedSourceAsync(source, sourceDb, cancellationToken);

        await using var targetDb = new BlazorVaultDbContext(Options(DatabaseProvider.PostgreSQL, target));
        await using var connection = new NpgsqlConnection(target);
        await connection.OpenAsync(cancellationToken);
        await RefuseNonEmptyTargetAsync(connection, cancellationToken);

        var tables = InDependencyOrder(targetDb.GetService<IDesignTimeModel>().Model.GetRelationalModel().Tables);
        var moved = new List<MovedTable>();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await ExecuteAsync(
                connection,
                targetDb.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.NoTransactions),
                cancellationToken
            );
            // The migrations insert their seed rows; the source has its own copy of each, as the installation changed them.
            await ExecuteAsync(connection, $"TRUNCATE {string.Join(", ", tables.Select(t => Quote(t.Name)))}", cancellationToken);
            foreach (var table in tables)
            {
                var copied = await CopyAsync(source, sourceDb.Model, connection, table, progress, cancellationToken);
                await ContinueIdentityAsync(connection, table, cancellationToken);
                moved.Add(new MovedTable(table.Name, copied, await CountAsync(connection, table.Name, cancellationToken)));
            }

            if (moved.Any(t => t.SourceRows != t.TargetRows))
            {
                await transaction.RollbackAsync(cancellationToken);
                return new MoveReport(moved, new AuditVerification(0, null, "not checked: the copy was rolled back"), 0, 0, 0);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var targetFactory = new SingleOptionsFactory(Options(DatabaseProvider.PostgreSQL, target));
        var audit = await new AuditVerifier(currentActor, targetFactory).VerifyAsync(cancellationToken);
        var sourceEvents = moved
            .Single(t => t.Name == targetDb.Model.FindEntityType(typeof(Audit.Entities.AuditEvent))!.GetTableName())
            .SourceRows;
        var (sampled, decrypted) = await CheckSecretsAsync(sourceDb, targetFactory, cancellationToken);
        return new MoveReport(moved, audit, sourceEvents, sampled, decrypted);
    }

    private static string ParseTarget(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // The string holds a password: the message names the problem, never the string.
            throw new MoveRefusedException(
                "--to is not a PostgreSQL connection string (expected Host=...;Port=5432;Database=...;Username=...;Password=...)."
            );
        }

        if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new MoveRefusedException("--to must name the PostgreSQL server and database (Host=...;Database=...).");
        }

        return builder.ConnectionString;
    }

    private async Task<SqliteConnection> OpenSourceAsync(CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(paths.ConnectionString) { Mode = SqliteOpenMode.ReadOnly };
        if (!File.Exists(builder.DataSource))
        {
            throw new MoveRefusedException($"There is no SQLite database at {builder.DataSource}: nothing to move.");
        }

        var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task RefuseUnmigratedSourceAsync(SqliteConnection source, DbContext sourceDb, CancellationToken cancellationToken)
    {
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = source.CreateCommand())
        {
            command.CommandText = $"SELECT MigrationId FROM {HistoryRepository.DefaultTableName}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }

        var missing = sourceDb.Database.GetMigrations().Where(m => !applied.Contains(m)).ToList();
        if (missing.Count > 0)
        {
            throw new MoveRefusedException(
                $"The SQLite database lacks {missing.Count} migration(s) of this version ({string.Join(", ", missing)}). Start "
                    + "BlazorVault on it once so it upgrades, stop it, then run migrate-database again."
            );
        }
    }

    private static async Task RefuseNonEmptyTargetAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                + "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
            connection
        );
        var existing = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add(reader.GetString(0));
            }
        }

        if (existing.Count > 0)
        {
            throw new MoveRefusedException(
                $"The target database is not empty: it has {existing.Count} table(s), e.g. {existing[0]}. migrate-database copies into "
                    + "an empty database only; create a new one (CREATE DATABASE ... OWNER ...) and name it in --to."
            );
        }
    }

    private static async Task<long> CopyAsync(
        SqliteConnection source,
        IModel sourceModel,
        NpgsqlConnection target,
        ITable table,
        IProgress<MoveProgress> progress,
        CancellationToken cancellationToken
    )
    {
        var columns = table.Columns.Select(c => ColumnCopy.For(c, sourceModel)).ToList();
        var total = await CountAsync(source, table.Name, cancellationToken);
        var names = string.Join(", ", columns.Select(c => Quote(c.Name)));
        var key = table.PrimaryKey is { } primaryKey ? $" ORDER BY {string.Join(", ", primaryKey.Columns.Select(c => Quote(c.Name)))}" : "";
        await using var read = source.CreateCommand();
        read.CommandText = $"SELECT {names} FROM {Quote(table.Name)}{key}";
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        await using var writer = await target.BeginBinaryImportAsync(
            $"COPY {Quote(table.Name)} ({names}) FROM STDIN (FORMAT BINARY)",
            cancellationToken
        );
        long copied = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            await writer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i].Read(reader, i) is { } value)
                {
                    await writer.WriteAsync(value, columns[i].StoreType, cancellationToken);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
            }

            if (++copied % ProgressEvery == 0)
            {
                progress.Report(new MoveProgress(table.Name, copied, total));
            }
        }

        await writer.CompleteAsync(cancellationToken);
        if (copied % ProgressEvery != 0 || copied == 0)
        {
            progress.Report(new MoveProgress(table.Name, copied, total));
        }

        return copied;
    }

    /// <summary>The next id PostgreSQL hands out follows the highest one copied, as SQLite's would have.</summary>
    private static async Task ContinueIdentityAsync(NpgsqlConnection target, ITable table, CancellationToken cancellationToken)
    {
        foreach (var column in table.Columns.Where(c => c.PropertyMappings.Any(m => m.Property.ValueGenerated == ValueGenerated.OnAdd)))
        {
            if (column.ProviderClrType != typeof(int) && column.ProviderClrType != typeof(long))
            {
                continue;
            }

            await ExecuteAsync(
                target,
                $"SELECT setval(pg_get_serial_sequence('{Quote(table.Name)}', '{column.Name}'), "
                    + $"COALESCE((SELECT MAX({Quote(column.Name)}) FROM {Quote(table.Name)}), 0) + 1, false)",
                cancellationToken
            );
        }
    }

    /// <summary>
    /// Up to <see cref="SecretSample"/> secrets spread over the whole table, each decrypted from the target and compared with
    /// the source's value. Neither value leaves this method.
    /// </summary>
    private async Task<(int Sampled, int Decrypted)> CheckSecretsAsync(
        BlazorVaultDbContext sourceDb,
        IDbContextFactory<BlazorVaultDbContext> targetFactory,
        CancellationToken cancellationToken
    )
    {
        await using var targetDb = await targetFactory.CreateDbContextAsync(cancellationToken);
        var ids = await targetDb.Secrets.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(cancellationToken);
        var step = Math.Max(1, ids.Count / SecretSample);
        var sample = ids.Where((_, index) => index % step == 0).Take(SecretSample).ToList();
        var decrypted = 0;
        foreach (var id in sample)
        {
            var moved = await targetDb.Secrets.AsNoTracking().SingleAsync(s => s.Id == id, cancellationToken);
            var original = await sourceDb.Secrets.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
            if (original is not null && Open(moved) is { } value && value == Open(original))
            {
                decrypted++;
            }
        }

        return (sample.Count, decrypted);
    }

    private string? Open(StoredSecret secret)
    {
        try
        {
            return cipher.OpenString(new SecretSlot(secret.Purpose, secret.EntityId, secret.FieldId), secret.ToSealed());
        }
        catch (SecretUnreadableException)
        {
            return null;
        }
    }

    /// <summary>Principals before the tables that refer to them, so every foreign key holds as rows arrive.</summary>
    private static List<ITable> InDependencyOrder(IEnumerable<ITable> tables)
    {
        var remaining = tables.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var ordered = new List<ITable>();
        while (remaining.Count > 0)
        {
            var ready = remaining.FirstOrDefault(t =>
                t.ForeignKeyConstraints.All(fk => fk.PrincipalTable == t || ordered.Contains(fk.PrincipalTable))
            );
            if (ready is null)
            {
                throw new InvalidOperationException($"The tables {string.Join(", ", remaining.Select(t => t.Name))} refer to each other.");
            }

            ordered.Add(ready);
            remaining.Remove(ready);
        }

        return ordered;
    }

    private static async Task<long> CountAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {Quote(table)}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {Quote(table)}", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>With the application's services, where Identity finds the schema version that decides its tables.</summary>
    private DbContextOptions<BlazorVaultDbContext> Options(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<BlazorVaultDbContext>().UseApplicationServiceProvider(services);
        options.UseBlazorVaultDatabase(provider, connectionString);
        return options.Options;
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>How one column's values travel: read as SQLite stores them, written as PostgreSQL's column type takes them.</summary>
    private sealed class ColumnCopy
    {
        private readonly Type _sourceType;
        private readonly Func<object?, object?> _toModel;
        private readonly Func<object?, object?> _toTarget;

        private ColumnCopy(string name, string storeType, Type sourceType, Func<object?, object?> toModel, Func<object?, object?> toTarget)
        {
            Name = name;
            StoreType = storeType;
            _sourceType = sourceType;
            _toModel = toModel;
            _toTarget = toTarget;
        }

        public string Name { get; }

        /// <summary>PostgreSQL's type name without its length or precision: the binary format does not depend on them.</summary>
        public string StoreType { get; }

        public static ColumnCopy For(IColumn column, IModel sourceModel)
        {
            var storeType = column.StoreType.Split('(')[0];
            if (column.PropertyMappings.Count == 0)
            {
                // A JSON column (an owned type stored as a document): the same text on both sides.
                return new ColumnCopy(column.Name, storeType, typeof(string), v => v, v => v);
            }

            var mapping = column.PropertyMappings[0];
            var targetMapping = mapping.Property.GetTypeMapping();
            var sourceProperty =
                sourceModel.FindEntityType(mapping.Property.DeclaringType.Name)?.FindProperty(mapping.Property.Name)
                ?? throw new InvalidOperationException($"The SQLite model has no column for {mapping.Property.DeclaringType.Name}.");
            var sourceMapping = sourceProperty.GetTypeMapping();
            var sourceConverter = sourceMapping.Converter;
            var targetConverter = targetMapping.Converter;
            return new ColumnCopy(
                column.Name,
                storeType,
                sourceConverter?.ProviderClrType ?? sourceMapping.ClrType,
                v => v is null || sourceConverter is null ? v : sourceConverter.ConvertFromProvider(v),
                v => v is null || targetConverter is null ? v : targetConverter.ConvertToProvider(v)
            );
        }

        public object? Read(SqliteDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                return null;
            }

            var stored = ReadStored(reader, ordinal);
            return _toTarget(_toModel(stored)) switch
            {
                DateTime { Kind: DateTimeKind.Unspecified } time => DateTime.SpecifyKind(time, DateTimeKind.Utc),
                var value => value,
            };
        }

        private object ReadStored(SqliteDataReader reader, int ordinal)
        {
            var type = Nullable.GetUnderlyingType(_sourceType) ?? _sourceType;
            return Type.GetTypeCode(type) switch
            {
                TypeCode.String => reader.GetString(ordinal),
                TypeCode.Int32 => reader.GetInt32(ordinal),
                TypeCode.Int64 => reader.GetInt64(ordinal),
                TypeCode.Int16 => reader.GetInt16(ordinal),
                TypeCode.Byte => reader.GetByte(ordinal),
                TypeCode.Boolean => reader.GetBoolean(ordinal),
                TypeCode.Double => reader.GetDouble(ordinal),
                TypeCode.Single => reader.GetFloat(ordinal),
                TypeCode.Decimal => reader.GetDecimal(ordinal),
                TypeCode.DateTime => reader.GetDateTime(ordinal),
                _ when type == typeof(byte[]) => reader.GetFieldValue<byte[]>(ordinal),
                _ when type == typeof(Guid) => reader.GetGuid(ordinal),
                _ when type == typeof(DateTimeOffset) => reader.GetDateTimeOffset(ordinal),
                _ when type == typeof(TimeSpan) => reader.GetTimeSpan(ordinal),
                _ => throw new NotSupportedException($"Column {Name} has type {type.Name}, which migrate-database does not copy."),
            };
        }
    }

    private sealed class SingleOptionsFactory(DbContextOptions<BlazorVaultDbContext> options) : IDbContextFactory<BlazorVaultDbContext>
    {
        public BlazorVaultDbContext CreateDbContext() => new(options);
    }
}
