using BlazorVault.Core;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Customers;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BlazorVault.Benchmarks;

/// <summary>
/// The Core services wired as in the app, acting as an agent or administrator re-read from the database on every call,
/// as the web host's CurrentActor does. The database is the app's choice from the environment (<c>Database__Provider</c>,
/// <c>ConnectionStrings__BlazorVault</c>; by default a SQLite file in the folder), or, when
/// <c>BLAZORVAULT_BENCH_POSTGRES</c> names a PostgreSQL server (scripts/benchmarks.sh --postgres starts one), a new
/// database on it for this host alone, dropped when it is disposed.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;
    private readonly BenchActor _actor = new();

    public const string PostgresVariable = "BLAZORVAULT_BENCH_POSTGRES";

    private readonly string? _postgresServer;
    private readonly string? _postgresDatabase;

    private BenchHost(string directory)
    {
        Directory = directory;
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables();
        if (Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server)
        {
            _postgresServer = server;
            _postgresDatabase = "bench_" + Guid.NewGuid().ToString("N");
            configuration.AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["Database:Provider"] = nameof(DatabaseProvider.PostgreSQL),
                    ["ConnectionStrings:BlazorVault"] = new NpgsqlConnectionStringBuilder(server)
                    {
                        Database = _postgresDatabase,
                    }.ConnectionString,
                }
            );
        }

        var paths = StoragePaths.FromConfiguration(configuration.Build(), directory);
        Provider = paths.Provider;
        ConnectionString = paths.ConnectionString;
        DatabaseFile = Path.Combine(paths.DatabaseDirectory, StoragePaths.DatabaseFileName);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddDataProtection();
        services.AddSingleton(TimeProvider.System);
        services.AddBlazorVaultCore(paths, KeyRingLoader.Load(new EncryptionOptions(), paths, TimeProvider.System));
        services.AddSingleton<BlazorVault.Core.Jobs.IJobScheduler, NoScheduler>();
        services.AddSingleton<ICurrentActor>(_actor);
        _services = services.BuildServiceProvider();
        _scope = _services.CreateAsyncScope();
    }

    public string Directory { get; }

    public string DatabaseFile { get; }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Whether hosts started now get a database on the PostgreSQL server of <see cref="PostgresVariable"/>.</summary>
    public static bool OnPostgres => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 };

    public static async Task<BenchHost> StartAsync(string directory)
    {
        var host = new BenchHost(directory);
        if (host._postgresDatabase is not null)
        {
            await host.OnPostgresServerAsync($"CREATE DATABASE {host._postgresDatabase} TEMPLATE template0");
        }

        // What the web host tells Core once Kestrel listens: the welcome emails of the accounts made here need it.
        host.Get<PublicAddress>().SetListeningAddresses(["http://localhost:5000"]);
        await host.Get<DatabaseInitializer>().InitializeAsync();
        await host.Get<EncryptionInitializer>().InitializeAsync();
        return host;
    }

    public T Get<T>()
        where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    /// <summary>From now on, calls act as a new user with these rights, re-read from the database per call.</summary>
    /// <returns>The user's id, for <see cref="ActAs"/>.</returns>
    public async Task<string> ActAsNewUserAsync(bool isAdmin)
    {
        var id = await Get<AgentService>()
            .CreateAsync(
                new NewAccountInput
                {
                    DisplayName = "Bench User",
                    Email = $"bench-{Guid.NewGuid():N}@example.com",
                    Password = "benchmark password 2026",
                },
                isAdmin
            );
        ActAs(id);
        return id;
    }

    /// <summary>From now on, calls act as this user (a field assignment: cheap enough to do inside a benchmark).</summary>
    public void ActAs(string userId) => _actor.Use(userId, Get<ActorResolver>());

    /// <summary>
    /// After seeding, before measuring: brings the database to the state a live one is in. On PostgreSQL, VACUUM ANALYZE (what
    /// autovacuum does within a minute of a bulk load; before it the planner has no statistics on the fresh tables, and it
    /// may run in the middle of a measurement) and a CHECKPOINT, so the seed's dirty pages are not written out meanwhile. On
    /// SQLite, a WAL checkpoint for the same reason (SQLite has no statistics unless ANALYZE runs, and the app never runs it).
    /// </summary>
    public async Task SettleAsync()
    {
        await using var db = await Get<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        if (Provider == DatabaseProvider.PostgreSQL)
        {
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE");
            await db.Database.ExecuteSqlRawAsync("CHECKPOINT");
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            await OnPostgresServerAsync($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)");
        }
    }

    private async Task OnPostgresServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_postgresServer);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Benchmarks run the jobs' work directly.</summary>
    private sealed class NoScheduler : BlazorVault.Core.Jobs.IJobScheduler
    {
        public IReadOnlyList<BlazorVault.Core.Jobs.Models.JobDescription> Jobs => [];

        public Task<DateTime?> GetNextRunAsync(string jobKey, CancellationToken cancellationToken = default) =>
            Task.FromResult<DateTime?>(null);

        public Task TriggerAsync(string jobKey, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<bool> IsRunningAsync(string jobKey, CancellationToken cancellationToken = default) => Task.FromResult(false);
    }

    /// <summary>The system while seeding; afterwards the chosen user.</summary>
    private sealed class BenchActor : ICurrentActor
    {
        private string? _userId;
        private ActorResolver? _resolver;

        public void Use(string userId, ActorResolver resolver) => (_userId, _resolver) = (userId, resolver);

        public Task<Actor> GetAsync(CancellationToken cancellationToken = default) =>
            _userId is null ? Task.FromResult(Actor.System) : _resolver!.ResolveAsync(_userId, cancellationToken);
    }
}
