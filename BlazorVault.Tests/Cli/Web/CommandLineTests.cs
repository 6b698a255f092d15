using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Cli.Web;

/// <summary>The verbs on the real executable: create-admin, seed-demo, healthcheck, audit verify, keys.</summary>
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
        var password = result
            .Output.Split('\n')
            .Single(l => l.StartsWith("Password (shown once", StringComparison.Ordinal))
            .Split(": ")[1]
            .Trim();
        Assert.Equal(16, password.Length);

        var again = await CliProcess.RunAsync(
            _data.Path,
            "Development",
            "create-admin",
            "--email",
            "ops@example.com",
            "--password",
            TestPasswords.Default
        );
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
        Assert.Equal(6, healthy.Output.Split('\n').Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
        Assert.Contains(
            "ok   encryption: Healthy: a test key wrapped and unwrapped with the active certificate",
            healthy.Output,
            StringComparison.Ordinal
        );

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

    [Fact]
    public async Task KeysRotate_GeneratesActivatesAndReWrapsWithProgress_AndKeysStatusShowsIt()
    {
        await using (var app = new AppFactory(data: _data))
        {
            app.StartAndGetAddress();
            await app.WriteSecretsAsync(Enumerable.Range(0, 5).Select(i => (new SecretSlot("test", $"row-{i}", "password"), $"value-{i}")));
        }

        var before = await CliProcess.RunAsync(_data.Path, "Development", "keys", "status");
        Assert.Equal(0, before.ExitCode);
        Assert.Contains("* active", before.Output, StringComparison.Ordinal);
        Assert.Contains("RSA-3072", before.Output, StringComparison.Ordinal);
        Assert.Contains("wraps 5", before.Output, StringComparison.Ordinal);
        Assert.Contains("Health: Healthy", before.Output, StringComparison.Ordinal);

        var unconfirmed = await CliProcess.RunAsync(_data.Path, "Development", "keys", "rotate");
        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains(EncryptionService.LossAcknowledgement, unconfirmed.Error, StringComparison.Ordinal);
        Assert.Contains(EncryptionService.BackupAcknowledgement, unconfirmed.Error, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(_data.Path, "keys"), "*.pfx"));

        var rotated = await CliProcess.RunAsync(_data.Path, "Development", "keys", "rotate", "--yes");
        Assert.Equal(0, rotated.ExitCode);
        Assert.Contains("Generated and activated", rotated.Output, StringComparison.Ordinal);
        Assert.Contains("5/5 (100%)", rotated.Output, StringComparison.Ordinal);
        Assert.Contains("Re-wrapped 5 secret(s); 0 not wrapped by the new certificate.", rotated.Output, StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_data.Path, "keys"), "*.pfx").Length);

        var after = await CliProcess.RunAsync(_data.Path, "Development", "keys", "status");
        var lines = after.Output.Split('\n');
        Assert.Contains("wraps 5", lines.Single(l => l.StartsWith("* active", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("wraps 0", lines.Single(l => l.StartsWith("         ", StringComparison.Ordinal)), StringComparison.Ordinal);

        await using var restarted = new AppFactory(data: _data);
        restarted.StartAndGetAddress();
        await using var scope = restarted.Services.CreateAsyncScope();
        Assert.Equal(
            "value-4",
            await scope
                .ServiceProvider.GetRequiredService<SecretStore>()
                .ReadAsync(new SecretSlot("test", "row-4", "password"), CancellationToken.None)
        );
    }

    [Fact]
    public async Task A2048BitCertificate_StopsTheStart_WithWhatToDo()
    {
        TestCertificates.WriteRsaPfx(Path.Combine(_data.Path, "keys"), 2048, "legacy");

        var result = await CliProcess.RunAsync(_data.Path, "Development", "keys", "status");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("BlazorVault cannot start", result.Error, StringComparison.Ordinal);
        Assert.Contains("has a 2048-bit RSA key", result.Error, StringComparison.Ordinal);
        Assert.Contains("Replace it with a 3072-bit (or larger) certificate", result.Error, StringComparison.Ordinal);
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
