using System.Collections.Concurrent;

namespace BlazorVault.Core.Settings;

/// <summary>A section's values as stored (null JSON: never saved, the defaults) and its version (0 when never saved).</summary>
internal sealed record StoredSection(string? Json, long Version);

/// <summary>
/// Settings by section, shared by every circuit. A section is dropped whenever a change is announced, so a
/// change saved on another node (once the notifier spans nodes) is read afresh here too.
/// </summary>
public sealed class SettingsCache : IDisposable
{
    private readonly ConcurrentDictionary<string, StoredSection> _sections = new();
    private readonly IDisposable _subscription;

    public SettingsCache(ISettingsChangeNotifier notifier) =>
        _subscription = notifier.Subscribe(change =>
        {
            Invalidate(change.Section);
            return Task.CompletedTask;
        });

    public void Dispose() => _subscription.Dispose();

    internal async Task<StoredSection> GetAsync(
        string key,
        Func<string, CancellationToken, Task<StoredSection>> load,
        CancellationToken cancellationToken
    )
    {
        if (_sections.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var stored = await load(key, cancellationToken);
        _sections[key] = stored;
        return stored;
    }

    internal void Invalidate(string key) => _sections.TryRemove(key, out _);
}
