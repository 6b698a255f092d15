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
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresServer? _server;
    private readonly string? _name;

    /// <summary>SQLite in the host's data folder, or a database that someone else created and drops.</summary>
    public TestDatabase(DatabaseProvider provider, string? connectionString = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
    }

    internal TestDatabase(PostgresServer server, string name)
        : this(DatabaseProvider.PostgreSQL, server.ConnectionString(name))
    {
        _server = server;
        _name = name;
    }

    public DatabaseProvider Provider { get; }

    public string? ConnectionString { get; }

    /// <summary>The configuration an operator would write for this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Configuration =>
        ConnectionString is null
            ? [new("Database:Provider", Provider.ToString())]
            : [new("Database:Provider", Provider.ToString()), new("ConnectionStrings:BlazorVault", ConnectionString)];

    /// <summary>
    /// The bytes the database holds on disk: the SQLite files in <paramref name="dataDirectory"/>, or the PostgreSQL
    /// database's files and the server's write-ahead log after a checkpoint.
    /// </summary>
    public async Task<byte[][]> ReadFilesAsync(string dataDirectory) =>
        _server is null ? await DatabaseFiles.ReadAsync(dataDirectory) : await _server.ReadFilesAsync(_name!);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DropAsync(_name!);
        }
    }
}

/// <summary>A database file in the test host's own temp folder.</summary>
public sealed class SqliteDatabases : ITestDatabaseSource
{
    public static readonly SqliteDatabases Instance = new();

    private SqliteDatabases() { }

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public Task<TestDatabase> CreateAsync() => Task.FromResult(new TestDatabase(DatabaseProvider.Sqlite));
}
