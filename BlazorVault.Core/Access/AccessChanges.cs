using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;

namespace BlazorVault.Core.Access;

/// <summary>
/// The live change that access requests, grants or notices changed, so that app-bar notifications and open customer pages
/// (on every node) reload. It travels as a <see cref="SettingsChange"/> of its own section, without a version, and names no
/// one: each listener reloads what it shows.
/// </summary>
public static class AccessChanges
{
    public const string Section = "access";

    /// <summary>Announced after the change's transaction committed.</summary>
    internal static Task PublishAccessChangedAsync(this ISettingsChangeNotifier notifier, CancellationToken cancellationToken) =>
        notifier.PublishAsync(new SettingsChange(Section, 0), cancellationToken);

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
