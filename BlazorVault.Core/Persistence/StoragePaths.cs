using Microsoft.Extensions.Configuration;

namespace BlazorVault.Core.Persistence;

/// <summary>
/// Where BlazorVault keeps its files and data. <c>Storage:DataDirectory</c> (default <c>data</c>) holds the SQLite
/// database in <c>db/</c>; <c>Storage:KeyDirectory</c> (default <c>{DataDirectory}/keys</c>) holds certificates and Data
/// Protection keys and may live anywhere apart from the database. Relative paths are taken from the content root.
/// <c>Database:Provider</c> chooses SQLite (default) or PostgreSQL; <c>ConnectionStrings:BlazorVault</c> overrides the
/// SQLite file and is required for PostgreSQL.
/// </summary>
public sealed record StoragePaths(
    string DataDirectory,
    string DatabaseDirectory,
    string KeyDirectory,
    string ConnectionString,
    DatabaseProvider Provider = DatabaseProvider.Sqlite
)
{
    public const string DatabaseFileName = "blazorvault.db";

    public string DataProtectionKeyDirectory => Path.Combine(KeyDirectory, "dataprotection");

    /// <summary>Where emails go as .eml files while no SMTP server is configured.</summary>
    public string MailPickupDirectory => Path.Combine(DataDirectory, "mail");

    public static StoragePaths FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var dataDirectory = Resolve(contentRoot, configuration["Storage:DataDirectory"], "data");
        var keyDirectory = Resolve(dataDirectory, configuration["Storage:KeyDirectory"], "keys");
        var databaseDirectory = Path.Combine(dataDirectory, "db");
        var provider = ParseProvider(configuration["Database:Provider"]);
        var connectionString = configuration.GetConnectionString("BlazorVault");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.PostgreSQL)
            {
                throw new InvalidOperationException(
                    "Database:Provider is PostgreSQL but no connection string is configured. Set ConnectionStrings:BlazorVault "
                        + "(environment: ConnectionStrings__BlazorVault=\"Host=...;Port=5432;Database=...;Username=...;Password=...\")."
                );
            }

            connectionString = $"Data Source={Path.Combine(databaseDirectory, DatabaseFileName)};Foreign Keys=True";
        }

        return new StoragePaths(dataDirectory, databaseDirectory, keyDirectory, connectionString, provider);
    }

    private static DatabaseProvider ParseProvider(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? DatabaseProvider.Sqlite
        : Enum.TryParse<DatabaseProvider>(configured.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider) ? provider
        : throw new InvalidOperationException(
            $"Database:Provider '{configured}' is not supported; use Sqlite (the default) or PostgreSQL."
        );

    private static string Resolve(string baseDirectory, string? configured, string fallback) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? fallback : configured, baseDirectory);
}
