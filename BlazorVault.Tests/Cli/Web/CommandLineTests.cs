using System.Text.RegularExpressions;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Jobs;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Cli.Web;

/// <summary>The verbs on the real executable: create-admin, seed-demo, healthcheck, audit verify, keys.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class CommandLineTests : IDisposable
{
    /// <summary>What <c>dotnet run</c> sets from the launch profile: the address the web application will listen on.</summary>
    private static readonly Dictionary<string, string?> LaunchProfile = new() { ["ASPNETCORE_URLS"] = "http://localhost:5080" };

    /// <summary>No listening address configured, whatever the test runner's own environment holds.</summary>
    private static readonly Dictionary<string, string?> NoListeningAddress = new() { ["ASPNETCORE_URLS"] = null, ["DOTNET_URLS"] = null };

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
        var seeded = await CliProcess.RunAsync(_data.Path, "Development", LaunchProfile, "seed-demo", "--password", TestPasswords.Default);

        Assert.Equal(0, seeded.ExitCode);
        Assert.Contains("admin@example.com", seeded.Output, StringComparison.Ordinal);
        Assert.Contains("alex.agent@example.com", seeded.Output, StringComparison.Ordinal);
        Assert.Equal((6, 24, 15), await CountAsync());
        Assert.Equal(["Senior technicians: alex.agent@example.com", "Tier 1: sam.support@example.com"], await GroupMembersAsync());
        Assert.Equal(2, await RowsAsync("AgentGroupCustomers"));
        Assert.Equal(1, await RowsAsync("AgentGroupTables WHERE \"Level\" = 1"));
        Assert.Equal(1, await RowsAsync("AgentGroups WHERE \"CanApprove\" = 1 AND \"Name\" = 'Senior technicians'"));

        var refused = await CliProcess.RunAsync(_data.Path, "Development", LaunchProfile, "seed-demo");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);

        var forced = await CliProcess.RunAsync(_data.Path, "Development", LaunchProfile, "seed-demo", "--force", "--customers", "8");
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal((8, 24, 15), await CountAsync());
    }

    [Fact]
    public async Task SeedDemo_WithNoAddressForLinks_RefusesNamingTheSetting_AndChangesNothing()
    {
        var refused = await CliProcess.RunAsync(
            _data.Path,
            "Development",
            NoListeningAddress,
            "seed-demo",
            "--password",
            TestPasswords.Default
        );

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Address of BlazorVault in links", refused.Error, StringComparison.Ordinal);
        Assert.Contains("Kestrel:Endpoints", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", refused.Output + refused.Error, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), await CountAsync());
        Assert.Equal(0, await RowsAsync("OutboxEmails"));
    }

    [Fact]
    public async Task SeedDemo_WithTheAddressForLinksSet_QueuesWelcomeLinksThatStartWithIt()
    {
        await using (var app = new AppFactory(data: _data))
        {
            app.StartAndGetAddress();
            await app.AsSystemAsync<SettingsService, bool>(async settings =>
            {
                var email = await settings.GetAsync<EmailSettings>();
                email.PublicBaseUrl = "https://vault.example.com/helpdesk";
                await settings.SaveAsync(email);
                return true;
            });
        }

        var seeded = await CliProcess.RunAsync(
            _data.Path,
            "Development",
            NoListeningAddress,
            "seed-demo",
            "--password",
            TestPasswords.Default,
            "--customers",
            "1"
        );

        Assert.Equal(0, seeded.ExitCode);
        var links = await DeliverWelcomeLinksAsync();
        Assert.Equal(4, links.Count);
        Assert.All(
            links,
            link => Assert.StartsWith("https://vault.example.com/helpdesk/account/password/", link, StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task SeedDemo_WithoutTheSetting_UsesTheConfiguredListeningAddress_HttpsFirst()
    {
        var seeded = await CliProcess.RunAsync(
            _data.Path,
            "Development",
            new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = "http://vault.internal:5080;https://vault.internal:7443" },
            "seed-demo",
            "--password",
            TestPasswords.Default,
            "--customers",
            "1"
        );

        Assert.Equal(0, seeded.ExitCode);
        var links = await DeliverWelcomeLinksAsync();
        Assert.Equal(4, links.Count);
        Assert.All(links, link => Assert.StartsWith("https://vault.internal:7443/account/password/", link, StringComparison.Ordinal));
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
        Assert.Equal(
            0,
            (await CliProcess.RunAsync(_data.Path, "Development", LaunchProfile, "seed-demo", "--password", TestPasswords.Default)).ExitCode
        );

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

    private async Task<(long Customers, long Tickets, long Users)> CountAsync() =>
        (await RowsAsync("Customers"), await RowsAsync("Tickets"), await RowsAsync("AspNetUsers"));

    /// <summary>"Group: email" for every member of every agent group, in order.</summary>
    private async Task<List<string>> GroupMembersAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "db", "blazorvault.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT g."Name" || ': ' || u."Email" FROM "AgentGroupMembers" m
            JOIN "AgentGroups" g ON g."Id" = m."GroupId" JOIN "AspNetUsers" u ON u."Id" = m."UserId"
            ORDER BY 1
            """;
        await using var reader = await command.ExecuteReaderAsync();
        var members = new List<string>();
        while (await reader.ReadAsync())
        {
            members.Add(reader.GetString(0));
        }

        return members;
    }

    private async Task<long> RowsAsync(string table)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "db", "blazorvault.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Starts the web application on the data folder, has its outbox job deliver what the verb queued (to the pickup
    /// folder: no SMTP server is set) and reads the set-password links out of the files, as their recipients would.
    /// </summary>
    private async Task<List<string>> DeliverWelcomeLinksAsync()
    {
        await using var app = new AppFactory(data: _data);
        app.StartAndGetAddress();
        await app.AsSystemAsync<IJobScheduler, bool>(async scheduler =>
        {
            await scheduler.TriggerAsync(EmailDelivery.JobKey);
            return true;
        });
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
        for (var tries = 0; tries < 100 && await db.OutboxEmails.AnyAsync(e => e.Status == OutboxEmailStatus.Queued); tries++)
        {
            await Task.Delay(100);
        }

        var emails = await db.OutboxEmails.AsNoTracking().Where(e => e.Kind == OutboxEmailKind.Welcome).ToListAsync();
        Assert.All(emails, e => Assert.Equal(OutboxEmailStatus.Sent, e.Status));
        var links = new List<string>();
        foreach (var email in emails)
        {
            var message = await MimeKit.MimeMessage.LoadAsync(Path.Combine(_data.Path, "mail", email.PickupFile!));
            links.Add(LinkPattern().Match(message.TextBody ?? "").Value);
        }

        return links;
    }

    [GeneratedRegex(@"\S+/account/password/\S+")]
    private static partial Regex LinkPattern();

    public void Dispose() => _data.Dispose();
}
