using System.Data.Common;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BlazorVault.Cli;

/// <summary>
/// <c>healthcheck</c>: database (SQLite or PostgreSQL) reachable and migrated, data and key folders writable and private, the active
/// certificate wraps and unwraps, HTTPS configured outside Development. One line per check; exit code 1 when any fails.
/// </summary>
internal sealed class HealthCheckCommand : ICliCommand
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead
        | UnixFileMode.GroupWrite
        | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead
        | UnixFileMode.OtherWrite
        | UnixFileMode.OtherExecute;

    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        var paths = services.GetRequiredService<StoragePaths>();
        var results = new List<(bool Ok, string Check, string Detail)>
        {
            await CheckDatabaseAsync(services, paths),
            CheckFolder("data folder", paths.DataDirectory),
        };
        if (paths.Provider == DatabaseProvider.Sqlite)
        {
            results.Add(CheckFolder("database folder", paths.DatabaseDirectory));
        }

        results.Add(CheckFolder("key folder", paths.KeyDirectory));
        results.Add(results[0].Ok ? await CheckEncryptionAsync(services) : (false, "encryption", "needs the database"));
        results.Add(CheckHttps(services));

        foreach (var (ok, check, detail) in results)
        {
            await (ok ? output : error).WriteLineAsync($"{(ok ? "ok  " : "FAIL")} {check}: {detail}");
        }

        return results.All(r => r.Ok) ? 0 : 1;
    }

    private static async Task<(bool, string, string)> CheckDatabaseAsync(IServiceProvider services, StoragePaths paths)
    {
        const string Check = "database";
        var database = DescribeDatabase(paths);
        if (paths.Provider == DatabaseProvider.Sqlite && !File.Exists(database))
        {
            return (false, Check, $"no database at {database}; start the application once to create it");
        }

        try
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
            if (!await db.Database.CanConnectAsync())
            {
                return (false, Check, $"cannot open {database}");
            }

            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            return pending.Count == 0
                ? (true, Check, $"reachable and migrated ({database})")
                : (
                    false,
                    Check,
                    $"{pending.Count} migration(s) not applied ({string.Join(", ", pending)}); start the application to apply them"
                );
        }
        catch (DbException ex)
        {
            return (false, Check, $"cannot read {database}: {ex.Message}");
        }
    }

    /// <summary>The SQLite file, or PostgreSQL's server and database: never the connection string, which may hold a password.</summary>
    private static string DescribeDatabase(StoragePaths paths)
    {
        if (paths.Provider == DatabaseProvider.Sqlite)
        {
            return new SqliteConnectionStringBuilder(paths.ConnectionString).DataSource;
        }

        var postgres = new NpgsqlConnectionStringBuilder(paths.ConnectionString);
        return $"PostgreSQL database {postgres.Database} on {postgres.Host}:{postgres.Port}";
    }

    private static (bool, string, string) CheckFolder(string check, string path)
    {
        if (!Directory.Exists(path))
        {
            return (false, check, $"{path} does not exist");
        }

        try
        {
            var probe = Path.Combine(path, $".healthcheck-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (false, check, $"{path} is not writable: {ex.Message}");
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                return (false, check, $"{path} is accessible to other users (mode {Convert.ToString((int)mode, 8)}); run chmod 700 on it");
            }
        }

        return (true, check, $"{path} writable, owner-only");
    }

    private static async Task<(bool, string, string)> CheckEncryptionAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var overview = await scope.ServiceProvider.GetRequiredService<EncryptionStatusService>().GetOverviewAsync();
        var missing = overview.Certificates.Where(c => !c.IsLoaded).ToList();
        if (missing.Count > 0)
        {
            var thumbprints = string.Join(", ", missing.Select(c => c.Thumbprint));
            return (
                false,
                "encryption",
                $"{missing.Sum(c => c.SecretCount)} secret(s) are wrapped by a certificate that is not loaded "
                    + $"({thumbprints}); restore its PFX to {overview.KeyDirectory}"
            );
        }

        return (
            overview.Health.IsHealthy,
            "encryption",
            $"{overview.Health.Message} {overview.Certificates.Count} certificate(s), {overview.Rewrap.Total} secret(s)."
        );
    }

    private static (bool, string, string) CheckHttps(IServiceProvider services)
    {
        const string Check = "https";
        var environment = services.GetRequiredService<IHostEnvironment>();
        var configuration = services.GetRequiredService<IConfiguration>();
        if (environment.IsDevelopment())
        {
            return (true, Check, "not required in Development");
        }

        if (configuration.GetValue<bool>("Hosting:TlsTerminatedByProxy"))
        {
            return (true, Check, "TLS terminated by a reverse proxy (Hosting:TlsTerminatedByProxy)");
        }

        var urls = (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? ""));
        return urls.Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ? (true, Check, "an https endpoint is configured")
            : (
                false,
                Check,
                "no https endpoint: configure Kestrel:Endpoints with a certificate, "
                    + "or set Hosting:TlsTerminatedByProxy=true behind a TLS proxy"
            );
    }
}
