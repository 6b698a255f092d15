using System.Collections.Concurrent;

namespace BlazorVault.Core.Settings;

/// <summary>A section's values as stored (null JSON: never saved, the defaults) and its version (0 when never saved).</summary>
internal sealed record StoredSection(string? Json, long Version);

/// <summary>
/// Settings by section, shared by every circuit. An entry only ever moves to a newer version of its section: a read that
/// missed the cache keeps what it read only when nothing newer is known, since a save that committed while the read was
/// on its way publishes its own version here first. A change announced by another node marks the entry to be read again,
/// without letting a read older than the announced version in; a node that may have missed changes marks every entry.
/// </summary>
public sealed class SettingsCache : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new();
    private readonly IDisposable _subscription;

    /// <summary>How many times the cache forgot its values (<see cref="SettingsChange.Everything"/>).</summary>
    private long _forgotten;

    public SettingsCache(ISettingsChangeNotifier notifier) =>
        _subscription = notifier.Subscribe(change =>
        {
            if (change == SettingsChange.Everything)
            {
                ForgetValues();
            }
            else
            {
                Announce(change.Section, change.Version);
            }

            return Task.CompletedTask;
        });

    public void Dispose() => _subscription.Dispose();

    internal async Task<StoredSection> GetAsync(
        string key,
        Func<string, CancellationToken, Task<StoredSection>> load,
        CancellationToken cancellationToken
    )
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Loaded)
        {
            return new StoredSection(entry.Json, entry.Version);
        }

        var forgotten = Interlocked.Read(ref _forgotten);
        var stored = await load(key, cancellationToken);

        // A read that began before the cache forgot its values may hold what the missed changes replaced: not kept.
        if (forgotten == Interlocked.Read(ref _forgotten))
        {
            Publish(key, stored);
        }

        return stored;
    }

    /// <summary>Values read or saved at their version: kept unless the cache holds (or was told of) a newer one.</summary>
    internal void Publish(string key, StoredSection stored) =>
        _entries.AddOrUpdate(
            key,
            new Entry(stored.Version, stored.Json, Loaded: true),
            (_, held) =>
                stored.Version > held.Version || (stored.Version == held.Version && !held.Loaded)
                    ? new Entry(stored.Version, stored.Json, Loaded: true)
                    : held
        );

    /// <summary>The section is now at <paramref name="version"/>: unless that is here already, the next read loads it.</summary>
    private void Announce(string key, long version) =>
        _entries.AddOrUpdate(
            key,
            new Entry(version, null, Loaded: false),
            (_, held) => version > held.Version ? new Entry(version, null, Loaded: false) : held
        );

    /// <summary>Changes may have been missed: every entry is read again, still refusing versions older than it knows.</summary>
    private void ForgetValues()
    {
        Interlocked.Increment(ref _forgotten);
        foreach (var key in _entries.Keys)
        {
            _entries.AddOrUpdate(key, new Entry(0, null, Loaded: false), (_, held) => held with { Json = null, Loaded = false });
        }
    }

    /// <param name="Loaded">False when only the version is known (announced by a change), not its values.</param>
    private sealed record Entry(long Version, string? Json, bool Loaded);
}
