namespace BlazorVault.Core.Settings;

/// <summary>
/// A section was changed and is now at <paramref name="Version"/>. Any live change travels as one, despite the name: a
/// settings section by its key, or another topic by its own (custom objects: <c>CustomObjectChanges.Section</c>, version
/// 0). Only the key and the version travel, never a value.
/// </summary>
public sealed record SettingsChange(string Section, long Version)
{
    /// <summary>
    /// Anything may have changed: a node's link to the others was down and it may have missed changes. Listeners reload
    /// what they show or cache.
    /// </summary>
    public static readonly SettingsChange Everything = new("*", 0);

    /// <summary>Whether a listener of <paramref name="section"/> must reload: it changed, or anything may have.</summary>
    public bool Concerns(string section) => Section == section || this == Everything;
}

/// <summary>
/// Tells every listener that a section (or another topic, see <see cref="SettingsChange"/>) changed. One node uses the
/// in-process implementation; nodes sharing PostgreSQL use <see cref="PostgresSettingsChangeNotifier"/> (LISTEN/NOTIFY),
/// and listeners do not change.
/// </summary>
public interface ISettingsChangeNotifier
{
    /// <summary>Subscribes to changes; dispose the result to stop.</summary>
    IDisposable Subscribe(Func<SettingsChange, Task> onChanged);

    Task PublishAsync(SettingsChange change, CancellationToken cancellationToken = default);
}

internal sealed class InProcessSettingsChangeNotifier : ISettingsChangeNotifier
{
    private readonly Lock _gate = new();
    private readonly List<Func<SettingsChange, Task>> _listeners = [];

    public IDisposable Subscribe(Func<SettingsChange, Task> onChanged)
    {
        lock (_gate)
        {
            _listeners.Add(onChanged);
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _listeners.Remove(onChanged);
            }
        });
    }

    public async Task PublishAsync(SettingsChange change, CancellationToken cancellationToken = default)
    {
        Func<SettingsChange, Task>[] listeners;
        lock (_gate)
        {
            listeners = [.. _listeners];
        }

        // A listener that fails (a closed circuit) must not keep the others from hearing of the change.
        await Task.WhenAll(
            listeners.Select(async listener =>
            {
                try
                {
                    await listener(change);
                }
                catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or TaskCanceledException) { }
            })
        );
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
