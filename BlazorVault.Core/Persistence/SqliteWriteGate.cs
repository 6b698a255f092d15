using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BlazorVault.Core.Persistence;

/// <summary>
/// On SQLite, the process's write transactions (and saves outside one) take turns here, awaiting without a thread,
/// before they ask the database for its single write lock. Without it, writers that meet collide on the lock:
/// Microsoft.Data.Sqlite answers SQLITE_BUSY by blocking the thread in <c>Thread.Sleep(150)</c> and retrying
/// (SqliteDataReader.NextResult), so the loser waits in 150 ms steps while holding a thread-pool thread. Registered for
/// SQLite only; PostgreSQL locks rows, not the database.
/// </summary>
/// <remarks>
/// A queue in front of the lock, not a replacement for it: SQLite still locks, so a writer the gate does not see (another
/// process, raw ADO.NET, <c>ExecuteUpdate</c> outside a transaction) only falls back to the driver's retries. A writer
/// that waits longer than the driver's default command timeout (30 s) goes ahead without its turn for the same reason,
/// so a flow that opens a second write transaction while holding one fails as it did before, instead of hanging.
/// </remarks>
internal sealed class SqliteWriteGate : DbTransactionInterceptor, IDbConnectionInterceptor, ISaveChangesInterceptor, IDisposable
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>What a context holds the turn for: a transaction, or a save outside one (which may start its own).</summary>
    private static readonly object ForTransaction = new();
    private static readonly object ForSave = new();

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ConditionalWeakTable<DbContext, object> _holders = [];

    public override InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection,
        TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result
    )
    {
        if (eventData.Context is { } context && !IsHeld(context) && _turn.Wait(MaxWait))
        {
            _holders.AddOrUpdate(context, ForTransaction);
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection,
        TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken = default
    )
    {
        if (eventData.Context is { } context && !IsHeld(context) && await _turn.WaitAsync(MaxWait, cancellationToken))
        {
            _holders.AddOrUpdate(context, ForTransaction);
        }

        return result;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Release(eventData.Context, ForTransaction);

    public override Task TransactionCommittedAsync(
        DbTransaction transaction,
        TransactionEndEventData eventData,
        CancellationToken cancellationToken = default
    ) => ReleaseAsync(eventData.Context, ForTransaction);

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        Release(eventData.Context, ForTransaction);

    public override Task TransactionRolledBackAsync(
        DbTransaction transaction,
        TransactionEndEventData eventData,
        CancellationToken cancellationToken = default
    ) => ReleaseAsync(eventData.Context, ForTransaction);

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) =>
        Release(eventData.Context, ForTransaction);

    public override Task TransactionFailedAsync(
        DbTransaction transaction,
        TransactionErrorEventData eventData,
        CancellationToken cancellationToken = default
    ) => ReleaseAsync(eventData.Context, ForTransaction);

    /// <summary>A transaction disposed without commit or rollback ends when EF closes or disposes its connection.</summary>
    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Release(eventData.Context, ForTransaction);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData) =>
        ReleaseAsync(eventData.Context, ForTransaction);

    public void ConnectionDisposed(DbConnection connection, ConnectionEndEventData eventData) => Release(eventData.Context, ForTransaction);

    public Task ConnectionDisposedAsync(DbConnection connection, ConnectionEndEventData eventData) =>
        ReleaseAsync(eventData.Context, ForTransaction);

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { Database.CurrentTransaction: null } context && !IsHeld(context) && _turn.Wait(MaxWait))
        {
            _holders.AddOrUpdate(context, ForSave);
        }

        return result;
    }

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData,
        InterceptionResult<int> result,
        CancellationToken cancellationToken = default
    )
    {
        if (
            eventData.Context is { Database.CurrentTransaction: null } context
            && !IsHeld(context)
            && await _turn.WaitAsync(MaxWait, cancellationToken)
        )
        {
            _holders.AddOrUpdate(context, ForSave);
        }

        return result;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Release(eventData.Context, ForSave);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData,
        int result,
        CancellationToken cancellationToken = default
    )
    {
        Release(eventData.Context, ForSave);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData.Context, ForSave);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) =>
        ReleaseAsync(eventData.Context, ForSave);

    public void SaveChangesCanceled(DbContextEventData eventData) => Release(eventData.Context, ForSave);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) =>
        ReleaseAsync(eventData.Context, ForSave);

    public void Dispose() => _turn.Dispose();

    /// <summary>Held already: a transaction EF starts inside a save that holds the turn, or one begun again on the same context.</summary>
    private bool IsHeld(DbContext context) => _holders.TryGetValue(context, out _);

    /// <summary>Only what took the turn gives it back: a save inside a transaction must not end the transaction's turn.</summary>
    private void Release(DbContext? context, object reason)
    {
        if (context is not null && _holders.TryGetValue(context, out var held) && held == reason && _holders.Remove(context))
        {
            _turn.Release();
        }
    }

    private Task ReleaseAsync(DbContext? context, object reason)
    {
        Release(context, reason);
        return Task.CompletedTask;
    }
}
