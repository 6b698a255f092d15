using Microsoft.Extensions.Configuration;

namespace BlazorVault.Core.Persistence;

/// <summary>
/// Where BlazorVault keeps its files. <c>Storage:DataDirectory</c> (default <c>data</c>) holds the database in
/// <c>db/</c>; <c>Storage:KeyDirectory</c> (default <c>{DataDirectory}/keys</c>) holds certificates and Data
/// Protection keys and may live anywhere apart from the database. Relative paths are taken from the content root.
/// </summary>
public sealed record StoragePaths(string DataDirectory, string DatabaseDirectory, string KeyDirectory, string ConnectionString)
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
        var connectionString = configuration.GetConnectionString("BlazorVault");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = $"Data Source={Path.Combine(databaseDirectory, DatabaseFileName)};Foreign Keys=True";
        }

        return new StoragePaths(dataDirectory, databaseDirectory, keyDirectory, connectionString);
    }

    private static string Resolve(string baseDirectory, string? configured, string fallback) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? fallback : configured, baseDirectory);
}
