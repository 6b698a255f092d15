using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Benchmarks.Accounts;

/// <summary>
/// The daily password auto-expiry job over 100,000 accounts on SQLite (issue budget: under 5 s, and each reminder
/// queued once even when the job runs twice). Expiry after 90 days, reminder 7 days before; a third of the accounts
/// is already past 90 days, a third inside the reminder window (83 to 90 days), a third recent. Each account's
/// distance from the boundaries is at least a day, so the counts do not drift while the benchmark runs.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class PasswordExpiryBenchmarks
{
    private static readonly int Accounts = BenchScale.Of(100_000);
    private const int ExpiryDays = 90;
    private const int ReminderDays = 7;

    private BenchHost _host = default!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchHost.StartAsync(Path.Combine(Path.GetTempPath(), "blazorvault-bench", Guid.NewGuid().ToString("N")));
        await using (var db = await _host.Get<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync())
        {
            // i % 3 == 0: changed 91..150 days ago (expired); 1: 84..89 days ago (reminder due); 2: 0..79 days ago (fine).
            // Dates in the text format EF Core's SQLite provider writes and compares ("yyyy-MM-dd HH:mm:ss").
            await db.Database.ExecuteSqlAsync(
                $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Accounts})
                INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed",
                "PasswordHash",
                    "SecurityStamp", "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount",
                    "DisplayName", "CreatedAt", "PasswordChangedAt")
                SELECT lower(hex(randomblob(16))), 'user' || i || '@bench.example', 'USER' || i || '@BENCH.EXAMPLE', 'user' || i ||
                '@bench.example',
                    'USER' || i || '@BENCH.EXAMPLE', 1, 'AQAAAAIAAyDYAAAAEBenchmarkNotARealHash' || i, upper(hex(randomblob(16))),
                    lower(hex(randomblob(16))),
                    0, 0, 1, 0, 'Bench user ' || i, '2025-01-01 00:00:00',
                    strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (CASE i % 3 WHEN 0 THEN 91 + i % 60 WHEN 1 THEN 84 + i % 6 ELSE i % 80 END)
                    || ' days', '-1 hours')
                FROM n
                """
            );
        }

        await _host.ActAsNewUserAsync(isAdmin: true);
        await _host
            .Get<SettingsService>()
            .SaveAsync(
                new UserSettings
                {
                    PasswordExpiryEnabled = true,
                    PasswordExpiryDays = ExpiryDays,
                    ReminderDays = ReminderDays,
                }
            );
        await CheckRunTwiceAsync();

        await _host.SettleAsync();
    }

    /// <summary>Fresh data: no account marked expired or reminded, no reminder queued.</summary>
    [IterationSetup(Target = nameof(FirstRunAsync))]
    public void Reset() => ResetAsync().GetAwaiter().GetResult();

    /// <summary>Fresh data, then one run, so that the measured run is the second of the day.</summary>
    [IterationSetup(Target = nameof(SecondRunAsync))]
    public void ResetAndRunOnce()
    {
        ResetAsync().GetAwaiter().GetResult();
        _host.Get<PasswordExpiry>().RunAsync().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "RunAsync, first run (marks 33,333 expired, queues 33,334 reminders)")]
    public Task<(int Expired, int Reminded)> FirstRunAsync() => _host.Get<PasswordExpiry>().RunAsync();

    [Benchmark(Description = "RunAsync, second consecutive run (nothing to do)")]
    public Task<(int Expired, int Reminded)> SecondRunAsync() => _host.Get<PasswordExpiry>().RunAsync();

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_host.Directory, recursive: true);
    }

    private async Task ResetAsync()
    {
        await using var db = await _host.Get<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync("""UPDATE "AspNetUsers" SET "PasswordExpiredAt" = NULL, "ExpiryReminderSentAt" = NULL""");
        await db.Database.ExecuteSqlRawAsync("""DELETE FROM "OutboxEmails" WHERE "Kind" = 'ExpiryReminder'""");
    }

    /// <summary>
    /// Outside the timing: two runs back to back over fresh data queue exactly one reminder per account due one
    /// (counted independently of the job, from the generated ages) and mark each expired account once.
    /// </summary>
    private async Task CheckRunTwiceAsync()
    {
        await ResetAsync();
        var job = _host.Get<PasswordExpiry>();
        var clock = Stopwatch.StartNew();
        var first = await job.RunAsync();
        var firstMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var second = await job.RunAsync();
        var secondMs = clock.Elapsed.TotalMilliseconds;

        await using var db = await _host.Get<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
        var (expectedExpired, expectedDue) = (
            Enumerable.Range(1, Accounts).Count(i => i % 3 == 0),
            Enumerable.Range(1, Accounts).Count(i => i % 3 == 1)
        );
        var markedExpired = await Count(db, """SELECT COUNT(*) AS "Value" FROM "AspNetUsers" WHERE "PasswordExpiredAt" IS NOT NULL""");
        var markedReminded = await Count(db, """SELECT COUNT(*) AS "Value" FROM "AspNetUsers" WHERE "ExpiryReminderSentAt" IS NOT NULL""");
        var reminders = await Count(db, """SELECT COUNT(*) AS "Value" FROM "OutboxEmails" WHERE "Kind" = 'ExpiryReminder'""");
        var remindedAccounts = await Count(
            db,
            """SELECT COUNT(DISTINCT "UserId") AS "Value" FROM "OutboxEmails" WHERE "Kind" = 'ExpiryReminder'"""
        );
        var remindedTwice = await Count(
            db,
            """
            SELECT COUNT(*) AS "Value"
            FROM (SELECT "UserId" FROM "OutboxEmails" WHERE "Kind" = 'ExpiryReminder' GROUP BY "UserId" HAVING COUNT(*) > 1)
            """
        );
        var remindedNotDue = await Count(
            db,
            """
            SELECT COUNT(*) AS "Value" FROM "OutboxEmails" o JOIN "AspNetUsers" u ON u."Id" = o."UserId"
            WHERE o."Kind" = 'ExpiryReminder' AND CAST(substr(u."UserName", 5, instr(u."UserName", '@') - 5) AS INTEGER) % 3 <> 1
            """
        );

        Console.WriteLine(
            $"// password expiry, run twice over {Accounts:N0} accounts: first run {firstMs:0} ms -> expired {first.Expired:N0}, reminded "
                + $"{first.Reminded:N0}; "
                + $"second run {secondMs:0} ms -> expired {second.Expired:N0}, reminded {second.Reminded:N0}"
        );
        Console.WriteLine(
            $"// expected: expired {expectedExpired:N0}, due a reminder {expectedDue:N0}; in the database: marked expired "
                + $"{markedExpired:N0}, marked reminded {markedReminded:N0}, "
                + $"reminder emails {reminders:N0} for {remindedAccounts:N0} accounts, accounts reminded twice {remindedTwice}, reminders "
                + $"to accounts not due {remindedNotDue}"
        );
        if (
            first != (expectedExpired, expectedDue)
            || second != (0, 0)
            || markedExpired != expectedExpired
            || markedReminded != expectedDue
            || reminders != expectedDue
            || remindedAccounts != expectedDue
            || remindedTwice != 0
            || remindedNotDue != 0
        )
        {
            throw new InvalidOperationException(
                "Password expiry run twice did not mark each expired account and queue one reminder per due account exactly once."
            );
        }
    }

    private static async Task<int> Count(BlazorVaultDbContext db, string sql) => await db.Database.SqlQueryRaw<int>(sql).SingleAsync();
}
