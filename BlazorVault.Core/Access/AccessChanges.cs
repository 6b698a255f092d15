using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;

namespace BlazorVault.Core.Access;

/// <summary>
/// The live changes of access requests, grants and notices. <see cref="Section"/>: some request was made or decided, for the
/// access requests page. <see cref="SectionFor"/>: something changed for one user (their requests, grants or notices), for
/// their open password tabs and their bell. They travel as <see cref="SettingsChange"/>s without a version and carry no value.
/// </summary>
public static class AccessChanges
{
    public const string Section = "access";

    /// <summary>The change key of one user's requests, grants and notices.</summary>
    public static string SectionFor(string userId) => $"{Section}:{userId}";

    /// <summary>A request was made, decided or ended: announced after its transaction committed, to the page and each user.</summary>
    internal static async Task PublishAccessChangedAsync(
        this ISettingsChangeNotifier notifier,
        IEnumerable<string> userIds,
        CancellationToken cancellationToken
    )
    {
        await notifier.PublishAsync(new SettingsChange(Section, 0), cancellationToken);
        await notifier.PublishNoticesChangedAsync(userIds, cancellationToken);
    }

    /// <summary>These users' notices changed (and nothing else): their bells and banners reload.</summary>
    internal static async Task PublishNoticesChangedAsync(
        this ISettingsChangeNotifier notifier,
        IEnumerable<string> userIds,
        CancellationToken cancellationToken
    )
    {
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
        {
            await notifier.PublishAsync(new SettingsChange(SectionFor(userId), 0), cancellationToken);
        }
    }

    /// <summary>Adds one notice per recipient to the caller's transaction (saved by the caller).</summary>
    internal static void AddNotices(
        BlazorVaultDbContext db,
        IEnumerable<string> recipientIds,
        AccessNoticeKind kind,
        string text,
        string link,
        DateTime now,
        int? requestId = null
    )
    {
        text = text.Length > AccessNotice.TextMaxLength ? text[..(AccessNotice.TextMaxLength - 1)] + "…" : text;
        db.AccessNotices.AddRange(
            recipientIds.Distinct(StringComparer.Ordinal).Select(id => new AccessNotice(id, kind, text, link, now, requestId))
        );
    }
}
