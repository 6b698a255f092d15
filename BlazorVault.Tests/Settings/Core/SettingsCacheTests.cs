using System.Collections.Concurrent;
using System.Data.Common;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Entities;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Settings.Core;

/// <summary>
/// The shared settings cache under concurrent reads and saves, on SQLite and on PostgreSQL, with settings reads that answer a little
/// late, as a database across a network does: a read that missed the cache may return after a save has committed.
/// </summary>
public abstract class SettingsCacheTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const int Savers = 3;
    private const int SavesEach = 25;
    private const int Readers = 4;

    private readonly SlowSettingsReads _reads = new();
    private CoreTestHost _host = default!;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(
            configure: services => services.ConfigureDbContext<BlazorVaultDbContext>(o => o.AddInterceptors(_reads)),
            databases: databases
        );
        await _host.ActAsAsync(await _host.CreateAgentAsync("ada@example.com", isAdmin: true));
    }

    // A cache stuck on an old version would keep every saver's copy stale and its saves refused: the timeout ends that.
    [Fact(Timeout = 120_000)]
    public async Task ReadsAndSavesFromManyTasks_NeverReadOlderThanACompletedSave_AndEndOnTheLastSavedValue()
    {
        // The highest version whose save has returned: a read that starts after it must not see anything older.
        long completed = 0;
        var saved = new ConcurrentDictionary<long, int>();
        var staleReads = new ConcurrentBag<string>();
        using var saving = new CancellationTokenSource();

        var savers = Enumerable
            .Range(0, Savers)
            .Select(saver =>
                Task.Run(async () =>
                {
                    await using var scope = _host.CreateScope();
                    var settings = scope.ServiceProvider.GetRequiredService<SettingsService>();
                    for (var done = 0; done < SavesEach; )
                    {
                        var vault = await settings.GetAsync<VaultSettings>();
                        // Distinct from each other and from the default 30, so that every save changes something.
                        vault.RevealSeconds = 100 + (saver * SavesEach) + done;
                        try
                        {
                            await settings.SaveAsync(vault);
                        }
                        catch (SettingsConflictException)
                        {
                            continue;
                        }

                        saved[vault.Version] = vault.RevealSeconds;
                        InterlockedMax(ref completed, vault.Version);
                        done++;
                    }
                })
            )
            .ToList();
        var readers = Enumerable
            .Range(0, Readers)
            .Select(_ =>
                Task.Run(async () =>
                {
                    await using var scope = _host.CreateScope();
                    var settings = scope.ServiceProvider.GetRequiredService<SettingsService>();
                    while (!saving.IsCancellationRequested)
                    {
                        var floor = Interlocked.Read(ref completed);
                        var read = await settings.GetAsync<VaultSettings>();
                        if (read.Version < floor)
                        {
                            staleReads.Add($"read version {read.Version} after version {floor} was saved");
                        }

                        await Task.Yield();
                    }
                })
            )
            .ToList();

        await Task.WhenAll(savers);
        await saving.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Empty(staleReads);
        var last = saved.Keys.Max();
        Assert.Equal(Savers * SavesEach, last);
        var final = await _host.Get<SettingsService>().GetAsync<VaultSettings>();
        Assert.Equal((last, saved[last]), (final.Version, final.RevealSeconds));
    }

    [Fact]
    public async Task AReadOlderThanAChangeAnnouncedByAnotherNode_IsNotKept()
    {
        var settings = _host.Get<SettingsService>();
        _reads.WhileNextReadIsOnItsWay = async () =>
        {
            // Another node saves the section and announces it while this node's read of the defaults is on its way.
            await using var db = await _host.OpenDbAsync();
            db.Settings.Add(
                new SettingsEntry
                {
                    Section = "vault",
                    Json = "{\"RevealSeconds\":45}",
                    Version = 1,
                    UpdatedBy = "node-2",
                }
            );
            await db.SaveChangesAsync();
            await _host.Get<ISettingsChangeNotifier>().PublishAsync(new SettingsChange("vault", 1));
        };

        Assert.Equal(30, (await settings.GetAsync<VaultSettings>()).RevealSeconds);

        var read = await settings.GetAsync<VaultSettings>();
        Assert.Equal((1, 45), (read.Version, read.RevealSeconds));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Delays the answer to each settings read made outside a transaction (the cache's reads) by 20 ms.</summary>
    private sealed class SlowSettingsReads : DbCommandInterceptor
    {
        private Func<Task>? _hook;

        /// <summary>Runs once, during the next delay: after the database answered, before the answer arrives.</summary>
        public Func<Task>? WhileNextReadIsOnItsWay
        {
            set => _hook = value;
        }

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(
            DbCommand command,
            CommandExecutedEventData eventData,
            DbDataReader result,
            CancellationToken cancellationToken = default
        )
        {
            if (command.Transaction is null && command.CommandText.Contains("FROM \"Settings\"", StringComparison.Ordinal))
            {
                await Task.Delay(20, cancellationToken);
                if (Interlocked.Exchange(ref _hook, null) is { } hook)
                {
                    await hook();
                }
            }

            return result;
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    public sealed class OnSqlite() : SettingsCacheTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : SettingsCacheTests(postgres);
}
