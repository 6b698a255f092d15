using System.Text.Json;
using BlazorVault.Core.Audit.Entities;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Cluster;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Audit;

/// <summary>Appends hash-chained events. A write either commits with the action it records or throws.</summary>
public interface IAuditLog
{
    /// <summary>
    /// Appends the event inside <paramref name="db"/>'s open transaction, the one of the action it records; it
    /// commits or rolls back with that transaction. Changes still pending in <paramref name="db"/> are saved with the
    /// event, in one batch. Throws when there is no transaction.
    /// </summary>
    Task AppendAsync(BlazorVaultDbContext db, AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Writes the event in its own transaction; returns once it is committed, throws otherwise.</summary>
    Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default);
}

/// <summary>An action that must be audited first did not happen because its audit event could not be written.</summary>
public sealed class AuditUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Where the current request or circuit comes from; the web host sets it, the command line leaves it local.</summary>
public sealed class AuditOriginHolder
{
    public AuditOrigin Current { get; set; } = AuditOrigin.Local;
}

internal sealed class AuditLog(
    ICurrentActor currentActor,
    AuditOriginHolder origin,
    ThisNode node,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
) : IAuditLog
{
    public async Task AppendAsync(BlazorVaultDbContext db, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit events are appended inside the transaction of the action they record.");
        }

        var (actorId, actorName) = entry.Actor is { } given ? (given.UserId, given.Name) : await CurrentActorAsync(cancellationToken);
        var details = entry.Details is null ? null : JsonSerializer.Serialize(entry.Details);
        if (details?.Length > AuditEvent.DetailsMaxLength)
        {
            throw new ArgumentException($"Audit details are limited to {AuditEvent.DetailsMaxLength} characters.", nameof(entry));
        }

        var where = origin.Current;

        // The head is locked as it is read (PostgreSQL; SQLite's write transaction already holds the database), so
        // appends queue for it and each reads the head the previous one committed: none has to retry, none runs out.
        var head = await RowLocks.AuditChainHeadAsync(db, cancellationToken);
        var e = new AuditEvent
        {
            Sequence = head.LastSequence + 1,
            OccurredAt = time.GetUtcNow().UtcDateTime,
            ActorId = actorId,
            ActorName = Truncate(actorName, AuditEvent.TextMaxLength)!,
            Action = entry.Action,
            TargetType = entry.TargetType,
            TargetId = entry.TargetId,
            CustomerId = entry.CustomerId,
            IpAddress = Truncate(where.IpAddress, 64),
            UserAgent = Truncate(where.UserAgent, AuditEvent.TextMaxLength),
            Details = details,
            Server = node.Name,
            PreviousHash = head.LastHash,
        };
        e.Hash = AuditChain.ComputeHash(e);

        // Still a compare-and-swap (LastSequence is the entity's concurrency token): a head moved by anything that did not take the
        // lock undoes the action rather than fork the chain. The head's UPDATE and the event's INSERT (with any change still pending
        // in the context) go in one batch, without a savepoint: while the head is locked, this is one round trip and the commit.
        db.AuditChainHeads.Attach(head);
        head.LastSequence = e.Sequence;
        head.LastHash = e.Hash;
        db.AuditEvents.Add(e);
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new InvalidOperationException(
                "The audit chain head moved during the append; the action was not recorded and is undone.",
                ex
            );
        }
        finally
        {
            // Should the batch fail, the transaction must be undone whole: the head may have moved without its event.
            db.Database.AutoSavepointsEnabled = savepoints;
            db.Entry(head).State = EntityState.Detached;
        }
    }

    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AppendAsync(db, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<(string? Id, string Name)> CurrentActorAsync(CancellationToken cancellationToken)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        return (actor.UserId, actor.Name);
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
