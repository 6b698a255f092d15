using System.Globalization;
using System.Runtime.CompilerServices;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.SecureMessages.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Core.Tickets.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BlazorVault.Core.SecureMessages;

public enum RedeemOutcome
{
    /// <summary>The content, once.</summary>
    Shown,

    /// <summary>A passphrase is needed and was not given (nothing counted).</summary>
    PassphraseRequired,

    WrongPassphrase,

    /// <summary>Malformed, unknown, viewed, expired, locked or revoked: all look the same to the visitor.</summary>
    Unavailable,

    /// <summary>Only the ticket's requester, signed in to the portal, may view this message (nothing counted).</summary>
    SignInRequired,
}

/// <param name="AttemptsRemaining">Null when there is no limit.</param>
public sealed record RedeemResult(RedeemOutcome Outcome, string? Content = null, int? AttemptsRemaining = null)
{
    public override string ToString() => $"RedeemResult {{ Outcome = {Outcome}, AttemptsRemaining = {AttemptsRemaining} }}";
}

/// <summary>What the link's page shows before anything is consumed (GET never changes anything).</summary>
public sealed record SecureMessagePreview(bool IsAvailable, bool HasPassphrase, int? AttemptsRemaining, bool SignInRequired = false);

/// <summary>
/// The recipient's side of a one-time link: the page's preview, then redemption by whoever holds the link. Consuming
/// is atomic (the content is deleted in the statement that marks the message viewed), failed passphrases are counted
/// atomically and never pass the limit, and expiry is enforced here at use as well as by the sweep. Each end's timeline
/// entry is saved with its audit event, in one batch.
/// </summary>
public sealed class RedeemSecureMessageCommand(
    ICurrentActor currentActor,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
)
{
    private static readonly AuditActorOverride Recipient = new(null, "Link recipient");
    private static readonly TicketActor RecipientOnTimeline = new("", "Link recipient");

    /// <summary>For the link's page: never consumes, never counts; everything that cannot be viewed looks the same.</summary>
    public async Task<SecureMessagePreview> PreviewAsync(string? selector, CancellationToken cancellationToken = default)
    {
        if (!OneTimeLink.IsWellFormedSelector(selector))
        {
            return new SecureMessagePreview(false, false, null);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var message = await QueriesFor(db).Preview(db, selector!, time.GetUtcNow().UtcDateTime, cancellationToken);
        if (message is null)
        {
            return new SecureMessagePreview(false, false, null);
        }

        var signInRequired = message.RequiresSignIn && (await currentActor.GetAsync(cancellationToken)).UserId != message.RecipientId;
        var attemptsRemaining =
            message.HasPassphrase && message.AttemptLimit > 0 ? message.AttemptLimit - message.FailedAttempts : (int?)null;
        return new SecureMessagePreview(true, message.HasPassphrase, attemptsRemaining, signInRequired);
    }

    public async Task<RedeemResult> RedeemAsync(
        string? selector,
        string? verifier,
        string? passphrase,
        string? ipAddress,
        CancellationToken cancellationToken = default
    )
    {
        var verifierHash = OneTimeLink.HashVerifier(verifier);
        if (!OneTimeLink.IsWellFormedSelector(selector) || verifierHash is null)
        {
            return new RedeemResult(RedeemOutcome.Unavailable);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var message = await QueriesFor(db).BySelector(db, selector!, cancellationToken);
        if (
            message is not { Status: SecureMessageStatus.Active, Ciphertext: not null, Nonce: not null, Tag: not null }
            || !OneTimeLink.Matches(message.VerifierHash, verifierHash)
        )
        {
            return new RedeemResult(RedeemOutcome.Unavailable);
        }

        if (message.ExpiresAt <= now)
        {
            await ExpireAsync(db, message, now, cancellationToken);
            return new RedeemResult(RedeemOutcome.Unavailable);
        }

        if (message.RequiresSignIn && (await currentActor.GetAsync(cancellationToken)).UserId != message.RecipientId)
        {
            return new RedeemResult(RedeemOutcome.SignInRequired);
        }

        if (message.HasPassphrase && string.IsNullOrEmpty(passphrase))
        {
            return new RedeemResult(
                RedeemOutcome.PassphraseRequired,
                AttemptsRemaining: Remaining(message.AttemptLimit, message.FailedAttempts)
            );
        }

        var content = SecureMessageCipher.TryOpen(
            message.Id,
            message.Ciphertext,
            message.Nonce,
            message.Tag,
            verifier!,
            message.HasPassphrase ? passphrase : null,
            message.Salt
        );
        return content is null
            ? await FailAsync(db, message, now, ipAddress, cancellationToken)
            : await ConsumeAsync(db, message, content, now, ipAddress, cancellationToken);
    }

    /// <summary>
    /// Exactly one of any number of simultaneous correct requests wins: the content is deleted in the statement that marks
    /// the message viewed.
    /// </summary>
    private async Task<RedeemResult> ConsumeAsync(
        BlazorVaultDbContext db,
        SecureMessage message,
        string content,
        DateTime now,
        string? ip,
        CancellationToken cancellationToken
    )
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var won = await db
            .SecureMessages.Where(m => m.Id == message.Id && m.Status == SecureMessageStatus.Active && m.ExpiresAt > now)
            .EndAsync(SecureMessageStatus.Viewed, now, ip, cancellationToken);
        if (won != 1)
        {
            return new RedeemResult(RedeemOutcome.Unavailable);
        }

        db.TicketActivities.Add(
            TicketActivity.ForTicket(
                message.TicketId,
                TicketActivityKind.SecureMessage,
                $"The secure message was viewed{(ip is null ? "" : $" from {ip}")}; its content is now deleted.",
                RecipientOnTimeline,
                now
            )
        );
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.SecureMessageViewed,
                "Ticket",
                Id(message.TicketId),
                message.CustomerId,
                new Dictionary<string, object?> { ["message"] = message.Id },
                Recipient
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return new RedeemResult(RedeemOutcome.Shown, content);
    }

    /// <summary>Counts a wrong passphrase atomically, never past the limit; reaching it destroys the content.</summary>
    private async Task<RedeemResult> FailAsync(
        BlazorVaultDbContext db,
        SecureMessage message,
        DateTime now,
        string? ip,
        CancellationToken cancellationToken
    )
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var counted = await db
            .SecureMessages.Where(m =>
                m.Id == message.Id && m.Status == SecureMessageStatus.Active && (m.AttemptLimit == 0 || m.FailedAttempts < m.AttemptLimit)
            )
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.FailedAttempts, x => x.FailedAttempts + 1), cancellationToken);
        if (counted != 1)
        {
            // The message ended (viewed, locked, revoked) while this guess was checked: still a wrong passphrase on record.
            var afterEnd = new Dictionary<string, object?>
            {
                ["message"] = message.Id,
                ["afterEnd"] = true,
                ["ip"] = ip,
            };
            await audit.AppendAsync(
                db,
                new AuditEntry(AuditActions.SecureMessageFailed, "Ticket", Id(message.TicketId), message.CustomerId, afterEnd, Recipient),
                cancellationToken
            );
            await transaction.CommitAsync(cancellationToken);
            return new RedeemResult(RedeemOutcome.Unavailable);
        }

        var failures = await db.SecureMessages.Where(m => m.Id == message.Id).Select(m => m.FailedAttempts).SingleAsync(cancellationToken);
        var locked = message.AttemptLimit > 0 && failures >= message.AttemptLimit;
        if (locked)
        {
            await db
                .SecureMessages.Where(m => m.Id == message.Id && m.Status == SecureMessageStatus.Active)
                .EndAsync(SecureMessageStatus.Locked, now, null, cancellationToken);
        }

        var outOf = message.AttemptLimit > 0 ? $" of {message.AttemptLimit}" : "";
        db.TicketActivities.Add(
            TicketActivity.ForTicket(
                message.TicketId,
                TicketActivityKind.SecureMessage,
                locked
                    ? $"The secure message was destroyed after {failures} wrong passphrases."
                    : $"Wrong passphrase for the secure message ({failures}{outOf}){(ip is null ? "" : $" from {ip}")}.",
                RecipientOnTimeline,
                now
            )
        );
        var details = new Dictionary<string, object?>
        {
            ["message"] = message.Id,
            ["failures"] = failures,
            ["limit"] = message.AttemptLimit,
            ["ip"] = ip,
        };
        await audit.AppendAsync(
            db,
            new AuditEntry(
                locked ? AuditActions.SecureMessageLocked : AuditActions.SecureMessageFailed,
                "Ticket",
                Id(message.TicketId),
                message.CustomerId,
                details,
                Recipient
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return new RedeemResult(
            locked ? RedeemOutcome.Unavailable : RedeemOutcome.WrongPassphrase,
            AttemptsRemaining: Remaining(message.AttemptLimit, failures)
        );
    }

    /// <summary>Expiry found at use, before the sweep: the same end as the sweep gives.</summary>
    private async Task ExpireAsync(BlazorVaultDbContext db, SecureMessage message, DateTime now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var expired = await db
            .SecureMessages.Where(m => m.Id == message.Id && m.Status == SecureMessageStatus.Active)
            .EndAsync(SecureMessageStatus.Expired, now, null, cancellationToken);
        if (expired == 1)
        {
            db.TicketActivities.Add(
                TicketActivity.ForTicket(
                    message.TicketId,
                    TicketActivityKind.SecureMessage,
                    SecureMessageExpirySweep.TimelineText,
                    SecureMessageExpirySweep.TimelineActor,
                    now
                )
            );
            var details = new Dictionary<string, object?> { ["message"] = message.Id, ["foundAt"] = "use" };
            await audit.AppendAsync(
                db,
                new AuditEntry(AuditActions.SecureMessageExpired, "Ticket", Id(message.TicketId), message.CustomerId, details, Recipient),
                cancellationToken
            );
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The link's two reads, compiled once so that a page view or a redemption spends no time translating them (a redemption
    /// is two requests on an anonymous page, the busiest path a mail scanner or a recipient takes). Per model, as EF requires:
    /// the tests run SQLite and PostgreSQL in one process.
    /// </summary>
    private static readonly ConditionalWeakTable<IModel, LinkQueries> CompiledQueries = new();

    private static LinkQueries QueriesFor(BlazorVaultDbContext db) =>
        CompiledQueries.GetValue(
            db.Model,
            _ => new LinkQueries(
                EF.CompileAsyncQuery(
                    (BlazorVaultDbContext context, string selector, DateTime now, CancellationToken _) =>
                        context
                            .SecureMessages.AsNoTracking()
                            .Where(m => m.Selector == selector && m.Status == SecureMessageStatus.Active && m.ExpiresAt > now)
                            .Select(m => new PreviewRow(m.HasPassphrase, m.AttemptLimit, m.FailedAttempts, m.RequiresSignIn, m.RecipientId))
                            .SingleOrDefault()
                ),
                EF.CompileAsyncQuery(
                    (BlazorVaultDbContext context, string selector, CancellationToken _) =>
                        context.SecureMessages.AsNoTracking().SingleOrDefault(m => m.Selector == selector)
                )
            )
        );

    private sealed record LinkQueries(
        Func<BlazorVaultDbContext, string, DateTime, CancellationToken, Task<PreviewRow?>> Preview,
        Func<BlazorVaultDbContext, string, CancellationToken, Task<SecureMessage?>> BySelector
    );

    private sealed record PreviewRow(bool HasPassphrase, int AttemptLimit, int FailedAttempts, bool RequiresSignIn, string RecipientId);

    private static int? Remaining(int limit, int failures) => limit == 0 ? null : Math.Max(0, limit - failures);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
