using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings.Entities;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Tests.Persistence.Core;

/// <summary>
/// On SQLite, write transactions queue at the process's gate instead of meeting at the database's write lock. The
/// second writer here uses a driver that gives up after one second on a locked database, so it fails if it ever
/// reaches SQLite while the first holds the lock, and the test after it fails if a turn is never given back.
/// </summary>
public sealed class SqliteWriteGateTests
{
    private static readonly TimeSpan LongerThanTheImpatientDriver = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task SecondTransaction_WaitsAtTheGate_UntilTheFirstCommits_EvenAfterTheFirstSaved()
    {
        await using var host = await CoreTestHost.StartAsync();
        await using var impatient = Impatient(host);

        await using var first = await host.OpenDbAsync();
        await using var transaction = await first.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        first.Settings.Add(Entry("first"));
        await first.SaveChangesAsync(TestContext.Current.CancellationToken);
        var second = Task.Run(() => WriteAsync(impatient, "second"), TestContext.Current.CancellationToken);
        await Task.Delay(LongerThanTheImpatientDriver, TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted, $"The second writer reached the locked database: {second.Exception?.InnerException?.Message}");

        await transaction.CommitAsync(TestContext.Current.CancellationToken);
        await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        await using var db = await host.OpenDbAsync();
        Assert.Equal(
            2,
            await db.Settings.CountAsync(s => s.Section == "first" || s.Section == "second", TestContext.Current.CancellationToken)
        );
    }

    [Fact]
    public async Task TransactionDisposedWithoutCommit_GivesTheTurnBack()
    {
        await using var host = await CoreTestHost.StartAsync();
        await using (var first = await host.OpenDbAsync())
        {
            await using var abandoned = await first.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            first.Settings.Add(Entry("abandoned"));
            await first.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var impatient = Impatient(host);
        await WriteAsync(impatient, "next").WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        await using var db = await host.OpenDbAsync();
        Assert.Equal(
            ["next"],
            await db
                .Settings.Where(s => s.Section == "abandoned" || s.Section == "next")
                .Select(s => s.Section)
                .ToListAsync(TestContext.Current.CancellationToken)
        );
    }

    private static async Task WriteAsync(BlazorVaultDbContext db, string section)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Settings.Add(Entry(section));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    /// <summary>A context of the host's, through its gate, whose driver waits at most one second for a locked database.</summary>
    private static BlazorVaultDbContext Impatient(CoreTestHost host)
    {
        var options = new DbContextOptionsBuilder<BlazorVaultDbContext>();
        options
            .UseBlazorVaultDatabase(
                DatabaseProvider.Sqlite,
                new SqliteConnectionStringBuilder(host.Paths.ConnectionString) { DefaultTimeout = 1 }.ConnectionString
            )
            .AddInterceptors(host.Get<SqliteWriteGate>());
        return new BlazorVaultDbContext(options.Options);
    }

    private static SettingsEntry Entry(string section) =>
        new()
        {
            Section = section,
            UpdatedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            UpdatedBy = "test",
        };
}
