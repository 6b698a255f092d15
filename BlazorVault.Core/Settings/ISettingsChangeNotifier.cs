namespace BlazorVault.Core.Settings;

/// <summary>A section was changed and is now at <paramref name="Version"/>.</summary>
public sealed record SettingsChange(string Section, long Version);

/// <summary>
/// Tells every listener that a section changed. One node uses the in-process implementation; a cluster replaces
/// it with one that fans out between nodes (e.g. PostgreSQL LISTEN/NOTIFY), and listeners do not change.
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
