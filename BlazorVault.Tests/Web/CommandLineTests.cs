using BlazorVault.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BlazorVault.Tests.Web;

/// <summary>The verbs on the real executable: create-admin, seed-demo, healthcheck.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task CreateAdmin_WithoutAPassword_GeneratesOneAndPrintsItOnce()
    {
        var result = await CliProcess.RunAsync(_data.Path, "Development", "create-admin", "--email", "ops@example.com", "--name", "Ops");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Created administrator ops@example.com.", result.Output, StringComparison.Ordinal);
        var password = result.Output.Split('\n').Single(l => l.StartsWith("Password (shown once", StringComparison.Ordinal)).Split(": ")[1].Trim();
        Assert.Equal(16, password.Length);

        var again = await CliProcess.RunAsync(_data.Path, "Development", "create-admin", "--email", "ops@example.com", "--password", TestPasswords.Default);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is already taken", again.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(TestPasswords.Default, again.Output + again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedDemo_FillsAnEmptyInstallation_AndRefusesASecondTimeUnlessForced()
    {
        var seeded = await CliProcess.RunAsync(_data.Path, "Development", "seed-demo", "--password", TestPasswords.Default);

        Assert.Equal(0, seeded.ExitCode);
        Assert.Contains("admin@example.com", seeded.Output, StringComparison.Ordinal);
        Assert.Contains("alex.agent@example.com", seeded.Output, StringComparison.Ordinal);
        Assert.Equal((6, 24, 15), await CountAsync());

        var refused = await CliProcess.RunAsync(_data.Path, "Development", "seed-demo");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);

        var forced = await CliProcess.RunAsync(_data.Path, "Development", "seed-demo", "--force", "--customers", "8");
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal((8, 24, 15), await CountAsync());
    }

    [Fact]
    public async Task HealthCheck_PassesOnAHealthyInstallation_AndNamesEachProblem()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(_data.Path, "Development", "create-admin", "--email", "ops@example.com")).ExitCode);

        var healthy = await CliProcess.RunAsync(_data.Path, "Development", "healthcheck");
        Assert.Equal(0, healthy.ExitCode);
        Assert.Equal(5, healthy.Output.Split('\n').Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));

        File.SetUnixFileMode(Path.Combine(_data.Path, "keys"), (UnixFileMode)Convert.ToInt32("755", 8));
        var unsafeKeys = await CliProcess.RunAsync(_data.Path, "Production", "healthcheck");

        Assert.Equal(1, unsafeKeys.ExitCode);
        Assert.Contains("FAIL key folder:", unsafeKeys.Error, StringComparison.Ordinal);
        Assert.Contains("accessible to other users", unsafeKeys.Error, StringComparison.Ordinal);
        Assert.Contains("FAIL https: no https endpoint", unsafeKeys.Error, StringComparison.Ordinal);
        Assert.Contains("ok   database: reachable and migrated", unsafeKeys.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_WithNoDatabase_FailsWithAClearLine()
    {
        var result = await CliProcess.RunAsync(_data.Path, "Development", "healthcheck");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL database: no database at", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_ReportsAnIntactChain_ThenTheFirstEventEditedBehindItsBack()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(_data.Path, "Development", "seed-demo", "--password", TestPasswords.Default)).ExitCode);

        var intact = await CliProcess.RunAsync(_data.Path, "Development", "audit", "verify");
        Assert.Equal(0, intact.ExitCode);
        Assert.Matches(@"^chain intact \(\d+ events\)$", intact.Output.Trim());

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "db", "blazorvault.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE AuditEvents SET Details = '{\"email\":\"mallory@example.com\"}' WHERE Sequence = 4";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var broken = await CliProcess.RunAsync(_data.Path, "Development", "audit", "verify");
        Assert.Equal(1, broken.ExitCode);
        Assert.StartsWith("chain broken at event 4:", broken.Error.Trim(), StringComparison.Ordinal);
    }

    private async Task<(long Customers, long Tickets, long Users)> CountAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "db", "blazorvault.db")};Pooling=False");
        await connection.OpenAsync();
        async Task<long> CountAsync(string table)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            return (long)(await command.ExecuteScalarAsync())!;
        }

        return (await CountAsync("Customers"), await CountAsync("Tickets"), await CountAsync("AspNetUsers"));
    }

    public void Dispose() => _data.Dispose();
}
