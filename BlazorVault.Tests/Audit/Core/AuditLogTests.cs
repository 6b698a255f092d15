using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Entities;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Audit.Core;

public abstract class AuditLogTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;

    /// <summary>Every start records which certificate is active (key.activated): the first event of the log.</summary>
    private const int StartupEvents = 1;

    private IAuditLog Audit => _host.Get<IAuditLog>();

    private AuditVerifier Verifier => _host.Get<AuditVerifier>();

    public async ValueTask InitializeAsync() => _host = await CoreTestHost.StartAsync(databases: databases);

    [Fact]
    public async Task Events_FormAChainThatVerifies()
    {
        await Audit.WriteAsync(
            new AuditEntry(
                AuditActions.SettingsChanged,
                "Settings",
                "tickets",
                Details: new Dictionary<string, object?> { ["field"] = "x" }
            )
        );
        await Audit.WriteAsync(new AuditEntry(AuditActions.SettingsChanged, "Settings", "email"));

        var page = await _host.Get<AuditQueryService>().ListAsync(new AuditQuery());
        var result = await Verifier.VerifyAsync();

        Assert.Equal($"chain intact ({StartupEvents + 2} events)", result.ToString());
        Assert.Equal([StartupEvents + 2L, StartupEvents + 1L], page.Items.Take(2).Select(e => e.Sequence));
        Assert.Equal("System", page.Items[0].ActorName);
        Assert.Equal("{\"field\":\"x\"}", page.Items[1].Details);
    }

    [Fact]
    public async Task AnEventAppendedInATransactionThatRollsBack_IsGone_AndTheChainStillVerifies()
    {
        await Audit.WriteAsync(new AuditEntry(AuditActions.SettingsChanged));
        await using (var db = await _host.OpenDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await Audit.AppendAsync(db, new AuditEntry(AuditActions.UserCreated, "User", "rolled-back"));
        }

        await Audit.WriteAsync(new AuditEntry(AuditActions.SettingsChanged));

        Assert.Equal($"chain intact ({StartupEvents + 2} events)", (await Verifier.VerifyAsync()).ToString());
        await using var check = await _host.OpenDbAsync();
        Assert.False(await check.AuditEvents.AnyAsync(e => e.TargetId == "rolled-back"));
    }

    [Fact]
    public async Task AppendOutsideATransaction_IsRefused()
    {
        await using var db = await _host.OpenDbAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Audit.AppendAsync(db, new AuditEntry(AuditActions.SettingsChanged)));
    }

    [Fact]
    public async Task ConcurrentWriters_NeverForkOrBreakTheChain()
    {
        var scopes = _host.Get<IServiceScopeFactory>();

        await Task.WhenAll(
            Enumerable
                .Range(0, 40)
                .Select(i =>
                    Task.Run(async () =>
                    {
                        await using var scope = scopes.CreateAsyncScope();
                        await scope
                            .ServiceProvider.GetRequiredService<IAuditLog>()
                            .WriteAsync(
                                new AuditEntry(
                                    AuditActions.SettingsChanged,
                                    "Writer",
                                    i.ToString(System.Globalization.CultureInfo.InvariantCulture)
                                )
                            );
                    })
                )
        );

        Assert.Equal($"chain intact ({StartupEvents + 40} events)", (await Verifier.VerifyAsync()).ToString());
        await using var db = await _host.OpenDbAsync();
        Assert.Equal(40, await db.AuditEvents.Where(e => e.TargetType == "Writer").Select(e => e.TargetId).Distinct().CountAsync());
    }

    [Fact]
    public async Task ARowEditedDirectlyInTheDatabase_IsReportedAsTheFirstBrokenEvent()
    {
        for (var i = 0; i < 5; i++)
        {
            await Audit.WriteAsync(new AuditEntry(AuditActions.SettingsChanged, "Settings", $"s{i}"));
        }

        await ExecuteSqlAsync($"""UPDATE "AuditEvents" SET "ActorName" = 'Someone else' WHERE "Sequence" = {StartupEvents + 3}""");

        var result = await Verifier.VerifyAsync();
        Assert.False(result.IsIntact);
        Assert.Equal(StartupEvents + 3, result.FirstBrokenSequence);
        Assert.Contains("the row was changed", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovedRows_AreDetected_InTheMiddleAndAtTheEnd()
    {
        for (var i = 0; i < 5; i++)
        {
            await Audit.WriteAsync(new AuditEntry(AuditActions.SettingsChanged));
        }

        await ExecuteSqlAsync($"""DELETE FROM "AuditEvents" WHERE "Sequence" = {StartupEvents + 5}""");
        var tail = await Verifier.VerifyAsync();
        await ExecuteSqlAsync($"""DELETE FROM "AuditEvents" WHERE "Sequence" = {StartupEvents + 2}""");
        var middle = await Verifier.VerifyAsync();

        Assert.Contains("events were removed from the end", tail.ToString(), StringComparison.Ordinal);
        Assert.Equal(StartupEvents + 3, middle.FirstBrokenSequence);
    }

    [Fact]
    public async Task EventsWrittenBeforeServersWereRecorded_VerifyBesideNewEvents_WhichNameTheirServer()
    {
        await Audit.WriteAsync(new AuditEntry(AuditActions.SettingsChanged, "Settings", "old"));
        await RewriteAsBeforeServersWereRecordedAsync();

        await Audit.WriteAsync(new AuditEntry(AuditActions.SettingsChanged, "Settings", "new"));

        await using var db = await _host.OpenDbAsync();
        var servers = await db.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Server).ToListAsync();
        Assert.Equal([.. Enumerable.Repeat<string?>(null, StartupEvents + 1), Environment.MachineName], servers);
        Assert.Equal($"chain intact ({StartupEvents + 2} events)", (await Verifier.VerifyAsync()).ToString());
    }

    [Fact]
    public async Task TheServerOfAnEvent_IsCoveredByItsHash()
    {
        await Audit.WriteAsync(new AuditEntry(AuditActions.SettingsChanged));

        await ExecuteSqlAsync($"""UPDATE "AuditEvents" SET "Server" = NULL WHERE "Sequence" = {StartupEvents + 1}""");

        Assert.Equal(StartupEvents + 1, (await Verifier.VerifyAsync()).FirstBrokenSequence);
    }

    [Fact]
    public async Task AccountChanges_AreAuditedInTheSameTransaction()
    {
        var customer = await _host.CreateCustomerAsync("Acme");
        var wile = await _host.CreatePortalUserAsync(customer, "wile@acme.example");
        await _host.Get<PortalUserService>().SetEnabledAsync(customer, wile, enabled: false);

        var events = (await _host.Get<AuditQueryService>().ListAsync(new AuditQuery(CustomerId: customer))).Items;

        Assert.Equal([AuditActions.UserDisabled, AuditActions.UserCreated], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(wile, e.TargetId));
        Assert.Contains("wile@acme.example", events[1].Details, StringComparison.Ordinal);
        Assert.True((await Verifier.VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task OnlyAdministrators_ReadOrVerifyTheLog()
    {
        await _host.ActAsAsync(await _host.CreateAgentAsync("alex@example.com"));

        await Assert.ThrowsAsync<AccessDeniedException>(() => _host.Get<AuditQueryService>().ListAsync(new AuditQuery()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Verifier.VerifyAsync());
    }

    /// <summary>
    /// The log as an installation upgraded from before servers were recorded holds it: no server, each event hashed and
    /// linked as the writer of the time did (<see cref="AuditChainTests"/> pins that canonical form).
    /// </summary>
    private async Task RewriteAsBeforeServersWereRecordedAsync()
    {
        await using var db = await _host.OpenDbAsync();
        var previous = AuditChain.Genesis;
        foreach (var e in await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync())
        {
            var hash = AuditChain.ComputeHash(
                new AuditEvent
                {
                    Sequence = e.Sequence,
                    OccurredAt = e.OccurredAt,
                    ActorId = e.ActorId,
                    ActorName = e.ActorName,
                    Action = e.Action,
                    TargetType = e.TargetType,
                    TargetId = e.TargetId,
                    CustomerId = e.CustomerId,
                    IpAddress = e.IpAddress,
                    UserAgent = e.UserAgent,
                    Details = e.Details,
                    PreviousHash = previous,
                }
            );
            var link = previous;
            await db
                .AuditEvents.Where(x => x.Sequence == e.Sequence)
                .ExecuteUpdateAsync(s =>
                    s.SetProperty(x => x.Server, (string?)null).SetProperty(x => x.PreviousHash, link).SetProperty(x => x.Hash, hash)
                );
            previous = hash;
        }

        await db.AuditChainHeads.ExecuteUpdateAsync(s => s.SetProperty(h => h.LastHash, previous));
    }

    /// <summary>An edit made behind the application's back, as someone with access to the database would.</summary>
    private async Task ExecuteSqlAsync(string sql)
    {
        await using var db = await _host.OpenDbAsync();
        Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(sql));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : AuditLogTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : AuditLogTests(postgres);
}
