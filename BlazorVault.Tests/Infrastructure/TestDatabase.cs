using BlazorVault.Core.Persistence;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>
/// Hands a test its own database on one provider. Test classes that run on both take one in their constructor and have
/// a nested <c>OnSqlite</c> and <c>OnPostgreSql</c> class each (filter with <c>FullyQualifiedName~OnPostgreSql</c>).
/// </summary>
public interface ITestDatabaseSource
{
    DatabaseProvider Provider { get; }

    Task<TestDatabase> CreateAsync();
}

/// <summary>
/// One test's database: the provider and the connection string a host is configured with (none for SQLite, whose file
/// goes in the host's data folder as in a default installation). Disposing it drops a PostgreSQL database.
/// </summary>
public sealed class TestDatabase(DatabaseProvider provider, string? connectionString, Func<Task>? drop = null) : IAsyncDisposable
{
    public DatabaseProvider Provider { get; } = provider;

    public string? ConnectionString { get; } = connectionString;

    /// <summary>The configuration an operator would write for this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Configuration =>
        ConnectionString is null
            ? [new("Database:Provider", Provider.ToString())]
            : [new("Database:Provider", Provider.ToString()), new("ConnectionStrings:BlazorVault", ConnectionString)];

    public async ValueTask DisposeAsync()
    {
        if (drop is not null)
        {
            await drop();
        }
    }
}

/// <summary>A database file in the test host's own temp folder.</summary>
public sealed class SqliteDatabases : ITestDatabaseSource
{
    public static readonly SqliteDatabases Instance = new();

    private SqliteDatabases() { }

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public Task<TestDatabase> CreateAsync() => Task.FromResult(new TestDatabase(DatabaseProvider.Sqlite, null));
}
