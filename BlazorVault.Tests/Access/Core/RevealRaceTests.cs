using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.Core;

/// <summary>
/// A group change committed in the middle of reveals: each reveal either goes through with its audit event or is refused
/// without one. An administrator flips the agent's level between Reveal and List while the agent reveals in a loop; every
/// value the agent got is in the audit log, and no refused reveal is.
/// </summary>
public abstract class RevealRaceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string Secret = "Race canary 4b7e-Acme!";
    private const int MaxAttempts = 400;

    private CoreTestHost _host = default!;

    public async ValueTask InitializeAsync() => _host = await CoreTestHost.StartAsync(databases: databases);

    [Fact]
    public async Task AGroupChangeDuringReveals_EitherLetsAWholeAuditedRevealThrough_OrRefusesIt()
    {
        var admin = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
        var sam = await _host.CreateAgentAsync("sam@example.com");
        var acme = await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(admin);
        var groups = _host.Get<AgentGroupService>();
        await groups.UpdateAsync(
            AgentGroup.BuiltInId,
            new AgentGroupInput { Name = AgentGroup.BuiltInName, OtherTables = AccessLevel.Manage }
        );
        var group = await groups.CreateAsync(Group(sam, acme, AccessLevel.Reveal));
        var row = await _host
            .Get<CustomerVaultService>()
            .CreateRowAsync(acme, PasswordsTable, new VaultRowInput(new Dictionary<int, string?> { [PasswordField] = Secret }));

        // Two callers at once, each with its own actor, as two circuits would be.
        var resolver = _host.Get<ActorResolver>();
        var factory = _host.Get<IDbContextFactory<BlazorVaultDbContext>>();
        var reveal = new RevealSecretCommand(
            new TestActor { Current = await resolver.ResolveAsync(sam) },
            _host.Get<IAuditLog>(),
            _host.Get<SecretStore>(),
            _host.Get<SettingsService>(),
            factory,
            TimeProvider.System
        );
        var flipper = new AgentGroupService(
            new TestActor { Current = await resolver.ResolveAsync(admin) },
            _host.Get<IAuditLog>(),
            factory,
            _host.Get<ISettingsChangeNotifier>(),
            TimeProvider.System
        );
        using var done = new CancellationTokenSource();
        var flipping = Task.Run(async () =>
        {
            var flips = 0;
            while (!done.IsCancellationRequested)
            {
                await flipper.UpdateAsync(group, Group(sam, acme, flips++ % 2 == 0 ? AccessLevel.List : AccessLevel.Reveal));
            }

            return flips;
        });

        var (shown, refused) = (0, 0);
        for (var attempt = 0; attempt < MaxAttempts && (shown < 5 || refused < 5); attempt++)
        {
            try
            {
                Assert.Equal(Secret, (await reveal.RevealAsync(row, PasswordField, RevealKind.Revealed)).Value);
                shown++;
            }
            catch (AccessDeniedException)
            {
                refused++;
            }
        }

        await done.CancelAsync();
        var flips = await flipping;
        await using var db = await _host.OpenDbAsync();
        var audited = await db.AuditEvents.CountAsync(
            e => e.Action == AuditActions.SecretRevealed && e.ActorId == sam,
            TestContext.Current.CancellationToken
        );

        Assert.True(shown >= 5 && refused >= 5, $"{shown} shown, {refused} refused in {flips} group changes: the race did not happen");
        Assert.Equal(shown, audited);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static AgentGroupInput Group(string member, int customer, AccessLevel level) =>
        new()
        {
            Name = "Acme technicians",
            AllCustomers = false,
            CustomerIds = [customer],
            MemberIds = [member],
            OtherTables = AccessLevel.None,
            TableLevels = new() { [PasswordsTable] = level },
        };

    public sealed class OnSqlite() : RevealRaceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : RevealRaceTests(postgres);
}
