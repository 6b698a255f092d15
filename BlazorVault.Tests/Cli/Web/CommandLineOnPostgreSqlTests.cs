using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Cli.Web;

/// <summary>
/// The verbs on the real executable configured for PostgreSQL through the environment, as an operator would:
/// <c>Database__Provider=PostgreSQL</c> and <c>ConnectionStrings__BlazorVault</c>.
/// </summary>
public sealed class CommandLineOnPostgreSqlTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private TestDatabase _database = default!;

    /// <summary>With the address <c>dotnet run</c> sets from the launch profile, which links in emails start with.</summary>
    private Dictionary<string, string?> Environment =>
        new()
        {
            ["Database__Provider"] = "PostgreSQL",
            ["ConnectionStrings__BlazorVault"] = _database.ConnectionString,
            ["ASPNETCORE_URLS"] = "http://localhost:5080",
        };

    public async ValueTask InitializeAsync() => _database = await postgres.CreateAsync();

    [Fact]
    public async Task HealthCheck_BeforeTheFirstStart_NamesTheMissingMigrations_ThenPasses_WithoutThePassword()
    {
        var before = await CliProcess.RunAsync(_data.Path, "Development", Environment, "healthcheck");
        Assert.Equal(1, before.ExitCode);
        Assert.Matches(@"FAIL database: \d+ migration\(s\) not applied \(\d+_Baseline, ", before.Error);

        Assert.Equal(
            0,
            (await CliProcess.RunAsync(_data.Path, "Development", Environment, "create-admin", "--email", "ops@example.com")).ExitCode
        );
        var healthy = await CliProcess.RunAsync(_data.Path, "Development", Environment, "healthcheck");

        Assert.Equal(0, healthy.ExitCode);
        Assert.Contains("ok   database: reachable and migrated (PostgreSQL database test_", healthy.Output, StringComparison.Ordinal);
        Assert.Equal(5, healthy.Output.Split('\n').Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
        var password = new Npgsql.NpgsqlConnectionStringBuilder(_database.ConnectionString).Password!;
        Assert.DoesNotContain(password, before.Output + before.Error + healthy.Output + healthy.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_AfterSeedDemo_ReportsAnIntactChain()
    {
        var seeded = await CliProcess.RunAsync(_data.Path, "Development", Environment, "seed-demo", "--password", TestPasswords.Default);
        Assert.True(seeded.ExitCode == 0, seeded.Error);

        var verified = await CliProcess.RunAsync(_data.Path, "Development", Environment, "audit", "verify");

        Assert.Equal(0, verified.ExitCode);
        Assert.Matches(@"^chain intact \(\d+ events\)$", verified.Output.Trim());
    }

    [Fact]
    public async Task StartingOnAMissingDatabase_OrWithAWrongPassword_StopsWithWhatToDo_AndNeverThePassword()
    {
        var configured = new Npgsql.NpgsqlConnectionStringBuilder(_database.ConnectionString);
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(configured.ConnectionString) { Database = "no_such_vault" };
        var wrongPassword = new Npgsql.NpgsqlConnectionStringBuilder(configured.ConnectionString) { Password = "wrong-canary-5e1" };

        var onMissing = await CliProcess.RunAsync(_data.Path, "Development", With(missing.ConnectionString));
        var onWrongPassword = await CliProcess.RunAsync(_data.Path, "Development", With(wrongPassword.ConnectionString));

        Assert.Equal(4, onMissing.ExitCode);
        Assert.Contains(
            $"BlazorVault cannot start: the PostgreSQL database \"no_such_vault\" does not exist on 127.0.0.1:{configured.Port}. "
                + "Create it first: CREATE DATABASE \"no_such_vault\" OWNER \"postgres\";",
            onMissing.Error,
            StringComparison.Ordinal
        );
        Assert.Equal(4, onWrongPassword.ExitCode);
        Assert.Contains(
            $"PostgreSQL on 127.0.0.1:{configured.Port} refused user \"postgres\"",
            onWrongPassword.Error,
            StringComparison.Ordinal
        );
        foreach (var output in new[] { onMissing.Output + onMissing.Error, onWrongPassword.Output + onWrongPassword.Error })
        {
            Assert.DoesNotContain(configured.Password!, output, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-canary-5e1", output, StringComparison.Ordinal);
        }
    }

    private static Dictionary<string, string?> With(string connectionString) =>
        new() { ["Database__Provider"] = "PostgreSQL", ["ConnectionStrings__BlazorVault"] = connectionString };

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        _data.Dispose();
    }
}
