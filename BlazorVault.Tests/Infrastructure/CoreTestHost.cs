using BlazorVault.Core;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.Jobs;
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

namespace BlazorVault.Tests.Infrastructure;

/// <summary>
/// The Core services wired as in the app, on a real database (an SQLite file in a temp folder unless told otherwise,
/// or a fresh database on the test PostgreSQL server), with a switchable actor.
/// </summary>
public sealed class CoreTestHost : IAsyncDisposable
{
    private readonly TempDirectory _directory = new(withTestKey: false);
    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;

    private CoreTestHost(
        bool installTestKey,
        TimeProvider? time,
        Action<IServiceCollection>? configure,
        TestDatabase database,
        string? keyDirectory
    )
    {
        Database = database;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(database.Configuration)
            .AddInMemoryCollection([new("Storage:KeyDirectory", keyDirectory)])
            .Build();
        Paths = StoragePaths.FromConfiguration(configuration, _directory.Path);
        if (installTestKey)
        {
            TestCertificates.Install(Paths.KeyDirectory);
        }

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddDataProtection();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddBlazorVaultCore(Paths, KeyRingLoader.Load(new EncryptionOptions(), Paths, TimeProvider.System));
        services.AddSingleton<IJobScheduler>(Scheduler);
        services.AddSingleton(Actor);
        services.AddSingleton<ICurrentActor>(Actor);
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(validateScopes: true);
        _scope = _services.CreateAsyncScope();
    }

    public StoragePaths Paths { get; }

    /// <summary>The host's own database, dropped with the host.</summary>
    public TestDatabase Database { get; }

    /// <summary>Everything Core logged, down to Trace.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>Records the jobs Core asks to run (there is no Quartz here).</summary>
    public RecordingJobScheduler Scheduler { get; } = new();

    public TestActor Actor { get; } = new();

    public string DatabaseFile => System.IO.Path.Combine(Paths.DatabaseDirectory, StoragePaths.DatabaseFileName);

    /// <param name="installTestKey">False starts with an empty key directory, as a new installation does.</param>
    /// <param name="time">A clock the test moves (expiry); the system clock when not given.</param>
    /// <param name="configure">Changes to the services after Core's (e.g. a database that answers slowly).</param>
    /// <param name="databases">Where the host's database comes from; an SQLite file in its folder when not given.</param>
    public static async Task<CoreTestHost> StartAsync(
        bool installTestKey = true,
        TimeProvider? time = null,
        Action<IServiceCollection>? configure = null,
        ITestDatabaseSource? databases = null
    )
    {
        var host = Create(await (databases ?? SqliteDatabases.Instance).CreateAsync(), installTestKey, time, configure);
        await host.InitializeAsync();
        return host;
    }

    /// <summary>A host that has not started yet (<see cref="InitializeAsync"/>), for tests of the start itself.</summary>
    /// <param name="database">Disposed with the host.</param>
    /// <param name="keyDirectory">The key folder of other nodes on the same database, instead of one of its own.</param>
    public static CoreTestHost Create(
        TestDatabase database,
        bool installTestKey = true,
        TimeProvider? time = null,
        Action<IServiceCollection>? configure = null,
        string? keyDirectory = null
    ) => new(installTestKey, time, configure, database, keyDirectory);

    /// <summary>What the application does at start-up before it serves: migrate, then load or create the first key.</summary>
    public async Task InitializeAsync()
    {
        // What the web host tells Core once Kestrel listens (here Kestrel's default): links in emails start with it.
        Get<PublicAddress>().SetListeningAddresses(["http://localhost:5000"]);
        await Get<DatabaseInitializer>().InitializeAsync();
        await AsSystemAsync(() => Get<EncryptionInitializer>().InitializeAsync());
    }

    public T Get<T>()
        where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    /// <summary>A scope of its own, as a request has (Identity's managers are scoped).</summary>
    public AsyncServiceScope CreateScope() => _services.CreateAsyncScope();

    public async Task<BlazorVaultDbContext> OpenDbAsync() => await Get<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();

    public Task<int> CreateCustomerAsync(string name) =>
        AsSystemAsync(() => Get<CustomerService>().CreateAsync(new CustomerInput { Name = name }));

    /// <remarks>
    /// The welcome email is delivered (to the pickup folder), as the outbox job would, so its link leaves the secrets
    /// table.
    /// </remarks>
    public Task<string> CreatePortalUserAsync(int customerId, string email, string password = TestPasswords.Default) =>
        CreateAndWelcomeAsync(() => Get<PortalUserService>().CreateAsync(customerId, Account(email, password)));

    /// <remarks>
    /// The welcome email is delivered (to the pickup folder), as the outbox job would, so its link leaves the secrets
    /// table.
    /// </remarks>
    public Task<string> CreateAgentAsync(string email, bool isAdmin = false, string password = TestPasswords.Default) =>
        CreateAndWelcomeAsync(() => Get<AgentService>().CreateAsync(Account(email, password), isAdmin));

    private static NewAccountInput Account(string email, string password) =>
        new()
        {
            DisplayName = email.Split('@')[0],
            Email = email,
            Password = password,
        };

    private Task<string> CreateAndWelcomeAsync(Func<Task<string>> create) =>
        AsSystemAsync(async () =>
        {
            var id = await create();
            await Get<EmailDelivery>().DeliverDueAsync();
            return id;
        });

    /// <summary>Arranges data as the application itself, then restores the test's actor.</summary>
    public async Task<T> AsSystemAsync<T>(Func<Task<T>> action)
    {
        var previous = Actor.Current;
        Actor.Current = global::BlazorVault.Core.Security.Actor.System;
        try
        {
            return await action();
        }
        finally
        {
            Actor.Current = previous;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Database.DisposeAsync();
        _directory.Dispose();
    }
}

/// <summary>The jobs Core asked to run, in order.</summary>
public sealed class RecordingJobScheduler : IJobScheduler
{
    public List<string> Triggered { get; } = [];

    public IReadOnlyList<global::BlazorVault.Core.Jobs.Models.JobDescription> Jobs { get; } = [];

    public Task<DateTime?> GetNextRunAsync(string jobKey, CancellationToken cancellationToken = default) =>
        Task.FromResult<DateTime?>(null);

    public Task TriggerAsync(string jobKey, CancellationToken cancellationToken = default)
    {
        Triggered.Add(jobKey);
        return Task.CompletedTask;
    }

    public Task<bool> IsRunningAsync(string jobKey, CancellationToken cancellationToken = default) => Task.FromResult(false);
}

public static class TestPasswords
{
    public const string Default = "correct horse battery staple";
}
