using System.Globalization;
using BenchmarkDotNet.Attributes;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Entities;
using BlazorVault.Core.Audit.Models;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace BlazorVault.Benchmarks.Audit;

/// <summary>
/// The first page of the admin audit log over 1,000,000 events (issue budget: under 200 ms of server time), with
/// each filter. On SQLite the million-event database, a valid hash chain, is built once per size and reused by every
/// benchmark process; on PostgreSQL each process copies the same events into a new database.
/// </summary>
[MemoryDiagnoser]
public class AuditListBenchmarks
{
    private static readonly int Events = BenchScale.Of(1_000_000);
    private const int Actors = 50;
    private const int Customers = 200;
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The events cover 2026 at any size, so the date filters find the same share of them.</summary>
    private static readonly double SecondsApart = 31_500_000.0 / Events;
    private static readonly string[] ParameterNames =
    [
        "$seq",
        "$at",
        "$actorId",
        "$actor",
        "$action",
        "$target",
        "$customer",
        "$details",
        "$prev",
        "$hash",
    ];
    private static readonly string Folder = Path.Combine(
        Path.GetTempPath(),
        "blazorvault-bench",
        $"audit-{Events.ToString(CultureInfo.InvariantCulture)}"
    );
    private BenchHost _host = default!;
    private AuditQueryService _audit = default!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        if (BenchHost.OnPostgres)
        {
            // A database of its own on the server, seeded by COPY (a few seconds), dropped with the host.
            _host = await BenchHost.StartAsync(Path.Combine(Path.GetTempPath(), "blazorvault-bench", Guid.NewGuid().ToString("N")));
            await SeedPostgresAsync(_host.ConnectionString);
            await _host.ActAsNewUserAsync(isAdmin: true);
            _audit = _host.Get<AuditQueryService>();
            return;
        }

        var marker = Path.Combine(Folder, "seeded");
        if (!File.Exists(marker))
        {
            if (System.IO.Directory.Exists(Folder))
            {
                System.IO.Directory.Delete(Folder, recursive: true);
            }

            _host = await BenchHost.StartAsync(Folder);
            await SeedAsync(_host.DatabaseFile);
            await File.WriteAllTextAsync(marker, Events.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            _host = await BenchHost.StartAsync(Folder);
        }

        await _host.ActAsNewUserAsync(isAdmin: true);
        _audit = _host.Get<AuditQueryService>();

        await _host.SettleAsync();
    }

    [Benchmark(Baseline = true, Description = "First page, no filter")]
    public Task<int> FirstPageAsync() => CountAsync(new AuditQuery());

    [Benchmark(Description = "Filter: action")]
    public Task<int> ByActionAsync() => CountAsync(new AuditQuery(Action: AuditActions.RoleGranted));

    [Benchmark(Description = "Filter: actor")]
    public Task<int> ByActorAsync() => CountAsync(new AuditQuery(ActorId: "actor-17"));

    [Benchmark(Description = "Filter: customer")]
    public Task<int> ByCustomerAsync() => CountAsync(new AuditQuery(CustomerId: 42));

    [Benchmark(Description = "Filter: one week in June")]
    public Task<int> ByDatesAsync() =>
        CountAsync(
            new AuditQuery(
                From: new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc),
                To: new DateTime(2026, 6, 8, 0, 0, 0, DateTimeKind.Utc)
            )
        );

    [Benchmark(Description = "Filter: actor + action + customer + month")]
    public Task<int> CombinedAsync() =>
        CountAsync(
            new AuditQuery(
                "actor-17",
                AuditActions.SettingsChanged,
                17,
                new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc),
                new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc)
            )
        );

    [GlobalCleanup]
    public async Task CleanupAsync() => await _host.DisposeAsync();

    private async Task<int> CountAsync(AuditQuery query) => (await _audit.ListAsync(query)).Items.Count;

    /// <summary>
    /// A million events a few seconds apart over 2026, as one transaction of prepared inserts, chained after the
    /// events the host wrote when it started (the generated key, for one), so the sequence and the chain carry on.
    /// </summary>
    private static async Task SeedAsync(string databaseFile)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile}");
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO AuditEvents (Sequence, OccurredAt, ActorId, ActorName, Action, TargetType, TargetId, CustomerId, IpAddress,
            UserAgent, Details, PreviousHash, Hash)
            VALUES ($seq, $at, $actorId, $actor, $action, 'User', $target, $customer, '10.1.2.3', 'Mozilla/5.0', $details, $prev, $hash)
            """;
        var parameters = ParameterNames.ToDictionary(n => n, n => insert.Parameters.Add(new SqliteParameter(n, null)));
        var (first, previous) = await ReadHeadAsync(connection, transaction);
        foreach (var e in Chain(first, previous))
        {
            parameters["$seq"].Value = e.Sequence;
            parameters["$at"].Value = e.OccurredAt;
            parameters["$actorId"].Value = e.ActorId;
            parameters["$actor"].Value = e.ActorName;
            parameters["$action"].Value = e.Action;
            parameters["$target"].Value = e.TargetId;
            parameters["$customer"].Value = e.CustomerId;
            parameters["$details"].Value = e.Details;
            parameters["$prev"].Value = e.PreviousHash;
            parameters["$hash"].Value = e.Hash;
            await insert.ExecuteNonQueryAsync();
            previous = e.Hash;
        }

        await using var head = connection.CreateCommand();
        head.CommandText = "UPDATE AuditChainHeads SET LastSequence = $seq, LastHash = $hash WHERE Id = 1";
        head.Parameters.AddWithValue("$seq", first + Events);
        head.Parameters.AddWithValue("$hash", previous);
        await head.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>The same events on PostgreSQL, in one binary COPY; the times as ticks, as the PostgreSQL model stores them.</summary>
    private static async Task SeedPostgresAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        long first;
        string previous;
        await using (
            var read = new NpgsqlCommand("""SELECT "LastSequence", "LastHash" FROM "AuditChainHeads" WHERE "Id" = 1""", connection)
        )
        {
            await using var reader = await read.ExecuteReaderAsync();
            await reader.ReadAsync();
            (first, previous) = (reader.GetInt64(0), reader.GetString(1));
        }

        await using (
            var copy = await connection.BeginBinaryImportAsync(
                """
                COPY "AuditEvents" ("Sequence", "OccurredAt", "ActorId", "ActorName", "Action", "TargetType", "TargetId", "CustomerId",
                    "IpAddress", "UserAgent", "Details", "PreviousHash", "Hash") FROM STDIN (FORMAT BINARY)
                """
            )
        )
        {
            foreach (var e in Chain(first, previous))
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(e.Sequence, NpgsqlDbType.Bigint);
                await copy.WriteAsync(e.OccurredAt.Ticks, NpgsqlDbType.Bigint);
                foreach (var text in new[] { e.ActorId, e.ActorName, e.Action, e.TargetType, e.TargetId })
                {
                    await copy.WriteAsync(text, NpgsqlDbType.Varchar);
                }

                await copy.WriteAsync(e.CustomerId!.Value, NpgsqlDbType.Integer);
                foreach (var text in new[] { e.IpAddress, e.UserAgent, e.Details })
                {
                    await copy.WriteAsync(text, NpgsqlDbType.Varchar);
                }

                await copy.WriteAsync(e.PreviousHash, NpgsqlDbType.Char);
                await copy.WriteAsync(e.Hash, NpgsqlDbType.Char);
                previous = e.Hash;
            }

            await copy.CompleteAsync();
        }

        await using var head = new NpgsqlCommand(
            """UPDATE "AuditChainHeads" SET "LastSequence" = @seq, "LastHash" = @hash WHERE "Id" = 1""",
            connection
        );
        head.Parameters.AddWithValue("seq", first + Events);
        head.Parameters.AddWithValue("hash", previous);
        await head.ExecuteNonQueryAsync();
        await transaction.CommitAsync();

        // As autovacuum would soon after: the planner's statistics for the new rows.
        await using var analyze = new NpgsqlCommand("""ANALYZE "AuditEvents" """, connection);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>The seeded events, chained after the head at <paramref name="first"/>.</summary>
    private static IEnumerable<AuditEvent> Chain(long first, string previous)
    {
        for (var i = 1; i <= Events; i++)
        {
            var e = new AuditEvent
            {
                Sequence = first + i,
                OccurredAt = Start.AddSeconds(i * SecondsApart),
                ActorId = $"actor-{i % Actors}",
                ActorName = $"Actor {i % Actors}",
                Action = AuditActions.All[i % AuditActions.All.Count],
                TargetType = "User",
                TargetId = $"user-{i % 5000}",
                CustomerId = i % Customers,
                IpAddress = "10.1.2.3",
                UserAgent = "Mozilla/5.0",
                Details = "{\"method\":\"password\"}",
                PreviousHash = previous,
            };
            e.Hash = AuditChain.ComputeHash(e);
            previous = e.Hash;
            yield return e;
        }
    }

    private static async Task<(long Sequence, string Hash)> ReadHeadAsync(SqliteConnection connection, SqliteTransaction transaction)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT LastSequence, LastHash FROM AuditChainHeads WHERE Id = 1";
        await using var reader = await read.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetString(1));
    }
}
