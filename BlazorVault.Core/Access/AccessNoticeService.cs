using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Access;

/// <summary>
/// The signed-in agent's own notifications (the app bar's bell and the administrators' break-glass banner): read them and
/// mark them read. Nobody reads or settles anyone else's.
/// </summary>
public sealed class AccessNoticeService(
    ICurrentActor currentActor,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    ISettingsChangeNotifier changes,
    TimeProvider time
)
{
    public const int ListSize = 20;

    /// <summary>My newest notices, read or not, and the count of all my unread ones.</summary>
    public async Task<AccessNoticeList> ListMineAsync(CancellationToken cancellationToken = default)
    {
        var userId = await MyIdAsync(cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var mine = db.AccessNotices.AsNoTracking().Where(n => n.UserId == userId);
        var items = await mine.OrderByDescending(n => n.CreatedAt)
            .ThenByDescending(n => n.Id)
            .Take(ListSize)
            .Select(n => new AccessNoticeView(n.Id, n.Kind, n.Text, n.Link, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(cancellationToken);
        var unread = await mine.CountAsync(n => n.ReadAt == null, cancellationToken);
        return new AccessNoticeList(items, unread);
    }

    /// <summary>My unread break-glass notices, oldest first: the banner shows them until each is dismissed.</summary>
    public async Task<IReadOnlyList<AccessNoticeView>> ListUnreadBreakGlassAsync(CancellationToken cancellationToken = default)
    {
        var userId = await MyIdAsync(cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db
            .AccessNotices.AsNoTracking()
            .Where(n => n.UserId == userId && n.Kind == AccessNoticeKind.BreakGlass && n.ReadAt == null)
            .OrderBy(n => n.CreatedAt)
            .ThenBy(n => n.Id)
            .Select(n => new AccessNoticeView(n.Id, n.Kind, n.Text, n.Link, n.CreatedAt, false))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Marks one of my notices read; someone else's, or one already read, is left as it is.</summary>
    public Task MarkReadAsync(long noticeId, CancellationToken cancellationToken = default) =>
        MarkAsync(n => n.Id == noticeId, cancellationToken);

    public Task MarkAllReadAsync(CancellationToken cancellationToken = default) => MarkAsync(_ => true, cancellationToken);

    private async Task MarkAsync(System.Linq.Expressions.Expression<Func<AccessNotice, bool>> which, CancellationToken cancellationToken)
    {
        var userId = await MyIdAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var marked = await db
            .AccessNotices.Where(n => n.UserId == userId && n.ReadAt == null)
            .Where(which)
            .ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, now), cancellationToken);
        if (marked > 0)
        {
            // The same person's other tabs (on any node) update their bell and banner.
            await changes.PublishNoticesChangedAsync([userId], cancellationToken);
        }
    }

    private async Task<string> MyIdAsync(CancellationToken cancellationToken)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        return actor.UserId ?? throw new AccessDeniedException("Notifications belong to a signed-in person.");
    }
}
