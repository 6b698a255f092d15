using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.SecureMessages.Entities;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Tests.SecureMessages.Core;

/// <summary>Expiry on SQLite and on PostgreSQL: refused at use before the sweep, then swept in one statement.</summary>
public abstract class SecureMessageExpirySweepTests(ITestDatabaseSource databases) : SecureMessageTestBase(databases)
{
    private SecureMessageExpirySweep Sweep => Host.Get<SecureMessageExpirySweep>();

    [Fact]
    public async Task AnExpiredLink_IsRefusedAtUse_BeforeTheSweep_AndTheSweepIsOneStatement()
    {
        var soon = await Messages.CreateAsync(Ticket, new SecureMessageInput { Content = Content, ExpiryDays = 1 });
        var later = await Messages.CreateAsync(Ticket, new SecureMessageInput { Content = Content, ExpiryDays = 30 });
        var others = await Task.WhenAll(
            Enumerable.Range(0, 5).Select(_ => Messages.CreateAsync(Ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 }))
        );
        Clock.Advance(TimeSpan.FromDays(1));

        var (selector, verifier) = Split(soon);
        Assert.Equal(RedeemOutcome.Unavailable, (await Redemption.RedeemAsync(selector, verifier, null, null)).Outcome);
        Assert.Equal(SecureMessageStatus.Expired, (await StoredAsync(soon.Id)).Status);

        Clock.Advance(TimeSpan.FromDays(7));
        var swept = await Host.AsSystemAsync(() => Sweep.ExpireDueAsync());

        Assert.Equal(others.Length, swept);
        Assert.All(others, o => Assert.Equal(SecureMessageStatus.Expired, StoredAsync(o.Id).GetAwaiter().GetResult().Status));
        Assert.Equal(SecureMessageStatus.Active, (await StoredAsync(later.Id)).Status);
        await using var db = await Host.OpenDbAsync();
        Assert.Equal(1, await db.SecureMessages.CountAsync(m => m.Ciphertext != null));
        Assert.Equal(
            others.Length + 1,
            await db.TicketActivities.CountAsync(a => a.TicketId == Ticket && a.Body!.Contains("expired unviewed"))
        );
    }

    public sealed class OnSqlite() : SecureMessageExpirySweepTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : SecureMessageExpirySweepTests(postgres);
}
