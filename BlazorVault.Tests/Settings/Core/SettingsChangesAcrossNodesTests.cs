using System.Diagnostics;
using System.Globalization;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Npgsql;

namespace BlazorVault.Tests.Settings.Core;

/// <summary>
/// Two nodes (Core hosts with their change listeners running) on one PostgreSQL database: a change saved on one reaches
/// the other's listeners and settings cache within two seconds through LISTEN/NOTIFY, once on each node, and still does
/// after the listening connections were cut.
/// </summary>
public sealed class SettingsChangesAcrossNodesTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Promised = TimeSpan.FromSeconds(2);

    private CoreTestHost _first = default!;
    private CoreTestHost _second = default!;

    private static string TicketsKey => SettingsService.KeyOf<TicketSettings>();

    public async ValueTask InitializeAsync()
    {
        var database = await postgres.CreateAsync();
        _first = CoreTestHost.Create(database);
        await _first.InitializeAsync();
        _second = CoreTestHost.Create(new TestDatabase(DatabaseProvider.PostgreSQL, database.ConnectionString));
        await _second.InitializeAsync();
        var admin = await _first.CreateAgentAsync("ada@example.com", isAdmin: true);
        await _first.ActAsAsync(admin);
        await _second.ActAsAsync(admin);
        await _first.Get<PostgresSettingsChangeNotifier>().StartAsync(TestContext.Current.CancellationToken);
        await _second.Get<PostgresSettingsChangeNotifier>().StartAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AChangeSavedOnOneNode_ReachesTheOtherNodesListenersAndCache_WithinTwoSeconds()
    {
        Assert.False((await _second.Get<SettingsService>().GetAsync<TicketSettings>()).SecureMessagesEnabled);
        using var heard = new Heard(_second, TicketsKey);
        var tickets = await _first.Get<SettingsService>().GetAsync<TicketSettings>();
        tickets.SecureMessagesEnabled = true;

        var clock = Stopwatch.StartNew();
        await _first.Get<SettingsService>().SaveAsync(tickets);
        var change = await heard.Next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var latency = clock.Elapsed;

        TestContext.Current.TestOutputHelper?.WriteLine($"Saved on one node, heard on the other after {latency.TotalMilliseconds:F0} ms");
        Assert.True(latency < Promised, $"Heard after {latency.TotalMilliseconds:F0} ms");
        Assert.Equal(new SettingsChange(TicketsKey, tickets.Version), change);
        var seen = await _second.Get<SettingsService>().GetAsync<TicketSettings>();
        Assert.True(seen.SecureMessagesEnabled);
        Assert.Equal(tickets.Version, seen.Version);
    }

    [Fact]
    public async Task EachNode_HearsAChangeOnce_ThePublishingNodeIncluded()
    {
        using var onFirst = new Heard(_first, TicketsKey);
        using var onSecond = new Heard(_second, TicketsKey);
        using var marker = new Heard(_first, "marker");

        await _first.Get<SettingsService>().SaveAsync(new TicketSettings { DefaultExpiryDays = 30 });

        // Each connection hears announcements in the order they committed: once the first node hears the second's later
        // marker, it has already heard (and skipped) the echo of its own change.
        await onSecond.Next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await _second.Get<ISettingsChangeNotifier>().PublishAsync(new SettingsChange("marker", 1), TestContext.Current.CancellationToken);
        await marker.Next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Single(onFirst.All);
        Assert.Single(onSecond.All);
    }

    [Fact]
    public async Task AfterTheListeningConnectionsAreCut_TheyReconnect_AndNoChangeIsMissed()
    {
        Assert.Equal(3, (await _second.Get<SettingsService>().GetAsync<TicketSettings>()).PassphraseAttemptLimit);
        using var resynced = new Heard(_second, SettingsChange.Everything.Section);

        var cut = Stopwatch.StartNew();
        Assert.Equal(2, await TerminateListenersAsync());
        var tickets = await _first.Get<SettingsService>().GetAsync<TicketSettings>();
        tickets.PassphraseAttemptLimit = 7;
        await _first.Get<SettingsService>().SaveAsync(tickets);

        // The change may have been announced while the second node was not listening: it reloads all it cached anyway.
        await resynced.Next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"Listening again {cut.Elapsed.TotalMilliseconds:F0} ms after the cut");
        Assert.Equal(7, (await _second.Get<SettingsService>().GetAsync<TicketSettings>()).PassphraseAttemptLimit);

        using var heard = new Heard(_second, TicketsKey);
        tickets.PassphraseAttemptLimit = 9;
        var clock = Stopwatch.StartNew();
        await _first.Get<SettingsService>().SaveAsync(tickets);
        await heard.Next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"After the reconnect, heard after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(clock.Elapsed < Promised, $"Heard after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(9, (await _second.Get<SettingsService>().GetAsync<TicketSettings>()).PassphraseAttemptLimit);
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    /// <returns>How many listening connections were ended.</returns>
    private async Task<int> TerminateListenersAsync()
    {
        await using var connection = new NpgsqlConnection(_first.Database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        // In the select list, not the condition: PostgreSQL may evaluate a condition on rows before the others filter them.
        await using var terminate = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE ended) FROM (SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity "
                + "WHERE datname = current_database() AND application_name = @name) AS listeners",
            connection
        );
        terminate.Parameters.AddWithValue("name", PostgresSettingsChangeNotifier.ListenerApplicationName);
        return Convert.ToInt32(await terminate.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>The changes of one section a node's listeners are told of, as they arrive.</summary>
    private sealed class Heard : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<SettingsChange> _all = [];
        private readonly IDisposable _subscription;
        private TaskCompletionSource<SettingsChange> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Heard(CoreTestHost node, string section) =>
            _subscription = node.Get<ISettingsChangeNotifier>()
                .Subscribe(change =>
                {
                    if (change.Section == section)
                    {
                        lock (_gate)
                        {
                            _all.Add(change);
                            _next.TrySetResult(change);
                        }
                    }

                    return Task.CompletedTask;
                });

        /// <summary>The first change not yet awaited through this property.</summary>
        public Task<SettingsChange> Next
        {
            get
            {
                lock (_gate)
                {
                    var next = _next.Task;
                    if (next.IsCompleted)
                    {
                        _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }

                    return next;
                }
            }
        }

        public IReadOnlyList<SettingsChange> All
        {
            get
            {
                lock (_gate)
                {
                    return [.. _all];
                }
            }
        }

        public void Dispose() => _subscription.Dispose();
    }
}
