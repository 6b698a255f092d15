using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Npgsql;

[assembly: AssemblyFixture(typeof(PostgresServer))]

namespace BlazorVault.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for the test run: Debian's <c>postgresql</c> package (test.sh installs it when
/// <c>/usr/lib/postgresql/*/bin/initdb</c> is missing), a new cluster in a temp folder, listening on 127.0.0.1 at a
/// free port with a random password, its unix socket in the temp folder and fsync off. It starts when the first test
/// asks for a database, hands each test a fresh empty one, and is stopped and deleted when the run ends.
/// </summary>
/// <remarks>
/// initdb and postgres refuse to run as root: as root (as in CI containers) they run as the <c>postgres</c> user on a
/// folder it owns. Without PostgreSQL the tests that need it fail with a message saying how to install it.
/// </remarks>
public sealed class PostgresServer : ITestDatabaseSource, IAsyncLifetime
{
    private const string SuperUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly Lock _startLock = new();
    private readonly string _password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    private Task? _start;
    private TempDirectory? _directory;
    private string? _binDirectory;
    private int _port;

    public DatabaseProvider Provider => DatabaseProvider.PostgreSQL;

    private string DataDirectory => Path.Combine(_directory!.Path, "data");

    private static bool AsRoot => Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>A new empty database on the server (started on first use), dropped when the test disposes it.</summary>
    public async Task<TestDatabase> CreateAsync()
    {
        await EnsureStartedAsync();
        var name = "test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE template0");
        return new TestDatabase(this, name);
    }

    /// <summary>A connection string to <paramref name="database"/> on this server, as an operator would configure it.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = _port,
            Database = database,
            Username = SuperUser,
            Password = _password,
        }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        if (_directory is null)
        {
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
            }
        }
        finally
        {
            _directory.Dispose();
        }
    }

    /// <summary>Starts the server once; should that fail, every test that needs it fails with the same message.</summary>
    private Task EnsureStartedAsync()
    {
        lock (_startLock)
        {
            return _start ??= StartAsync();
        }
    }

    private async Task StartAsync()
    {
        _binDirectory = FindBinDirectory();
        _directory = new TempDirectory(withTestKey: false);

        // Owner only: it holds the password file for a moment, and the unix socket that local connections trust.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_directory.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var passwordFile = Path.Combine(_directory.Path, "password");
        await File.WriteAllTextAsync(passwordFile, _password);
        if (AsRoot)
        {
            await ChownToPostgresAsync(_directory.Path);
        }

        await RunAsync(
            "initdb",
            "-D",
            DataDirectory,
            "-U",
            SuperUser,
            "--pwfile",
            passwordFile,
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync"
        );
        File.Delete(passwordFile);

        // The port is free when chosen; should another process take it before postgres binds, try another.
        for (var attempt = 1; ; attempt++)
        {
            _port = SmtpTestServer.FreePort();
            await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), Settings(_port));
            try
            {
                await RunAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_directory.Path, "server.log"), "-w", "-t", "60", "start");
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Each attempt appends its settings; the last ones win.
            }
        }
    }

    /// <summary>Only loopback and the temp folder's socket; durability off, since the data is thrown away.</summary>
    private string Settings(int port) =>
        $"""

            listen_addresses = '127.0.0.1'
            port = {port}
            unix_socket_directories = '{_directory!.Path}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 300
            """;

    internal async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString(name)));
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    /// <summary>After a checkpoint: every file of the database <paramref name="name"/>, and the write-ahead log.</summary>
    internal async Task<byte[][]> ReadFilesAsync(string name)
    {
        await ExecuteAsync("CHECKPOINT");
        var oid = await ExecuteAsync($"SELECT oid FROM pg_database WHERE datname = '{name}'");
        var files = Directory
            .GetFiles(Path.Combine(DataDirectory, "base", Convert.ToString(oid, CultureInfo.InvariantCulture)!))
            .Concat(Directory.GetFiles(Path.Combine(DataDirectory, "pg_wal")));
        return await Task.WhenAll(files.Select(ReadIfStillThereAsync));
    }

    /// <summary>Other tests' checkpoints recycle write-ahead log segments while this one reads them.</summary>
    private static async Task<byte[]> ReadIfStillThereAsync(string file)
    {
        try
        {
            return await File.ReadAllBytesAsync(file);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    private async Task<object?> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>The newest installed PostgreSQL, as Debian's packages lay it out.</summary>
    private static string FindBinDirectory()
    {
        var root = new DirectoryInfo("/usr/lib/postgresql");
        var found = root.Exists
            ? root.GetDirectories()
                .Where(d => File.Exists(Path.Combine(d.FullName, "bin", "initdb")) && int.TryParse(d.Name, out _))
                .OrderByDescending(d => int.Parse(d.Name, CultureInfo.InvariantCulture))
                .FirstOrDefault()
            : null;
        return found is null
            ? throw new InvalidOperationException(
                "PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb. The PostgreSQL tests need a real server; "
                    + "test.sh installs Debian's package, or run: sudo apt-get install postgresql"
            )
            : Path.Combine(found.FullName, "bin");
    }

    private static async Task ChownToPostgresAsync(string path)
    {
        var start = new ProcessStartInfo("chown") { RedirectStandardError = true };
        foreach (var arg in new[] { "-R", $"{SuperUser}:{SuperUser}", path })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown of {path} to the postgres user failed: {error}");
        }
    }

    /// <summary>Runs a PostgreSQL program, as the <c>postgres</c> user when the tests run as root.</summary>
    private async Task RunAsync(string program, params string[] args)
    {
        var executable = Path.Combine(_binDirectory!, program);
        var start = new ProcessStartInfo(AsRoot ? "runuser" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory!.Path,
        };
        if (AsRoot)
        {
            foreach (var arg in new[] { "-u", SuperUser, "--", executable })
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_directory.Path, "server.log");
            var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
            throw new InvalidOperationException(
                new StringBuilder($"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n")
                    .AppendLine(await output)
                    .AppendLine(await error)
                    .Append(serverLog)
                    .ToString()
            );
        }
    }
}
