using System.Text.Json;
using System.Threading.Channels;
using BlazorVault.Core.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BlazorVault.Core.Settings;

/// <summary>
/// Live changes between nodes that share PostgreSQL, without another broker. Publishing tells this node's listeners at once
/// and announces the change with <c>pg_notify</c> on <see cref="Channel"/>, right after the change's transaction committed
/// (the payload: section, version and this node's id; never a value). One dedicated connection per node LISTENs and tells
/// its listeners what the other nodes announce; its own announcements it skips, so each change reaches a listener once.
/// </summary>
/// <remarks>
/// Announcements made while the listening connection is down are lost. It reconnects with a backoff (a quarter second,
/// doubling to ten), and after every LISTEN, the first included, tells its listeners <see cref="SettingsChange.Everything"/>,
/// so that caches read again what may have changed meanwhile.
/// </remarks>
internal sealed class PostgresSettingsChangeNotifier : ISettingsChangeNotifier, IHostedService, IAsyncDisposable
{
    /// <summary>The channel; NOTIFY stays within one database, so installations sharing a server do not hear each other.</summary>
    public const string Channel = "blazorvault_changes";

    /// <summary>How the listening connection shows in <c>pg_stat_activity</c>.</summary>
    public const string ListenerApplicationName = "BlazorVault change listener";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    private readonly InProcessSettingsChangeNotifier _local = new();
    private readonly Guid _node = Guid.NewGuid();
    private readonly Channel<SettingsChange> _received = System.Threading.Channels.Channel.CreateUnbounded<SettingsChange>(
        new UnboundedChannelOptions { SingleReader = true }
    );
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _connectionString;
    private readonly string _listenerConnectionString;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresSettingsChangeNotifier> _logger;
    private Task _running = Task.CompletedTask;

    public PostgresSettingsChangeNotifier(StoragePaths paths, TimeProvider time, ILogger<PostgresSettingsChangeNotifier> logger)
    {
        _connectionString = paths.ConnectionString;
        _time = time;
        _logger = logger;

        // Its own connection, outside the pool; keepalives find a connection that died silently while it waited.
        _listenerConnectionString = new NpgsqlConnectionStringBuilder(paths.ConnectionString)
        {
            ApplicationName = ListenerApplicationName,
            Pooling = false,
            KeepAlive = 15,
        }.ConnectionString;
    }

    public IDisposable Subscribe(Func<SettingsChange, Task> onChanged) => _local.Subscribe(onChanged);

    public async Task PublishAsync(SettingsChange change, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", Channel);
            notify.Parameters.AddWithValue("payload", JsonSerializer.Serialize(new Announcement(change.Section, change.Version, _node)));
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            // The change is saved; failing the save for this would be wrong. Other nodes see it at their next resync.
            _logger.LogWarning(
                ex,
                "Could not announce the change of {Section} (version {Version}) to other nodes",
                change.Section,
                change.Version
            );
        }

        await _local.PublishAsync(change, cancellationToken);
    }

    /// <summary>Starts listening; returns once the first attempt to LISTEN has succeeded or failed (it then keeps trying).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.WhenAll(ListenAsync(_stopping.Token), DeliverAsync(_stopping.Token));
        await _firstAttempt.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops listening; a stop the host's shutdown timeout cuts short leaves the rest to <see cref="DisposeAsync"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _running.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Stopped waiting for the change listener at the end of the shutdown timeout");
        }
    }

    /// <summary>Stops listening; the container may call it once for each service this instance is registered as.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running;
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        var retryIn = FirstRetry;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenerConnectionString);
                connection.Notification += OnNotification;
                await connection.OpenAsync(stopping);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }

                retryIn = FirstRetry;
                _logger.LogInformation("Listening for changes made on other nodes");
                _received.Writer.TryWrite(SettingsChange.Everything);
                _firstAttempt.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(stopping);
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _firstAttempt.TrySetResult();
                _logger.LogWarning(ex, "Not listening for changes made on other nodes; trying again in {Delay}", retryIn);
                try
                {
                    await Task.Delay(retryIn, _time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retryIn = TimeSpan.FromTicks(Math.Min(retryIn.Ticks * 2, LastRetry.Ticks));
            }
        }
    }

    /// <summary>Raised within <see cref="NpgsqlConnection.WaitAsync(CancellationToken)"/>: queued, so listening goes on.</summary>
    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        Announcement? announced;
        try
        {
            announced = JsonSerializer.Deserialize<Announcement>(e.Payload);
        }
        catch (JsonException)
        {
            announced = null;
        }

        if (announced is { Section: not null } && announced.Node != _node)
        {
            _received.Writer.TryWrite(new SettingsChange(announced.Section, announced.Version));
        }
    }

    /// <summary>Tells this node's listeners, in the order announced, what other nodes changed.</summary>
    private async Task DeliverAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var change in _received.Reader.ReadAllAsync(stopping))
            {
                try
                {
                    await _local.PublishAsync(change, stopping);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    _logger.LogWarning(ex, "A listener failed on the change of {Section} made on another node", change.Section);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
    }

    private sealed record Announcement(string Section, long Version, Guid Node);
}
