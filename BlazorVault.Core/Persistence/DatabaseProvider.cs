namespace BlazorVault.Core.Persistence;

/// <summary>
/// <c>Database:Provider</c>: SQLite for one node (the default), PostgreSQL for many. Each has its own migration set,
/// generated from the same model (see <see cref="BlazorVaultDbContext"/>).
/// </summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}
