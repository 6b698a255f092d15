using BlazorVault.Core.Settings;

namespace BlazorVault.Core.CustomObjects;

/// <summary>
/// The live change that custom tables or fields were defined, changed or removed, so that open customer pages (on every
/// node) rebuild their tabs and fields. It travels as a <see cref="SettingsChange"/> of its own section, without a version.
/// </summary>
public static class CustomObjectChanges
{
    public const string Section = "custom-objects";

    /// <summary>Announced after the change's transaction committed.</summary>
    internal static Task PublishCustomObjectsChangedAsync(this ISettingsChangeNotifier notifier, CancellationToken cancellationToken) =>
        notifier.PublishAsync(new SettingsChange(Section, 0), cancellationToken);
}
