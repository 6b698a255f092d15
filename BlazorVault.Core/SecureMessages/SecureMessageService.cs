using System.Globalization;
using System.Security.Cryptography;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.SecureMessages.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Core.Tickets.Entities;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.SecureMessages;

public sealed class SecureMessageInput
{
    public string Content { get; set; } = "";

    /// <summary>Null or empty: no passphrase.</summary>
    public string? Passphrase { get; set; }

    public int ExpiryDays { get; set; } = 7;
}

/// <summary>The link, shown once: <c>/portal/secure/{selector}#{verifier}</c> (the caller adds the base address).</summary>
public sealed record CreatedSecureMessage(Guid Id, string Path, DateTime ExpiresAt)
{
    /// <summary>Never the link: it is a secret.</summary>
    public override string ToString() => $"CreatedSecureMessage {{ Id = {Id}, ExpiresAt = {ExpiresAt:O} }}";
}

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

/// <summary>A message as the ticket lists it for agents: its state, never its content or link.</summary>
public sealed record SecureMessageSummary(Guid Id, DateTime CreatedAt, string CreatedBy, DateTime ExpiresAt, SecureMessageStatus Status, bool HasPassphrase, int FailedAttempts, int AttemptLimit);

/// <summary>What the link's page shows before anything is consumed (GET never changes anything).</summary>
public sealed record SecureMessagePreview(bool IsAvailable, bool HasPassphrase, int? AttemptsRemaining, bool SignInRequired = false);

/// <summary>
/// One-time secure messages: created by agents from a ticket, redeemed once by whoever holds the link. Consuming is
/// atomic (the content is deleted in the statement that marks the message viewed), failed passphrases are counted
/// atomically and never pass the limit, and expiry is enforced at use as well as by the sweep.
/// </summary>
public sealed class SecureMessageService(
    ICurrentActor currentActor,
    IAuditLog audit,
    SettingsService settings,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time)
{
    public const string JobKey = "secure-message-expiry";
    private const string ExpiredText = "The secure message expired unviewed; its content is now deleted.";
    private static readonly AuditActorOverride Recipient = new(null, "Link recipient");
    private static readonly TicketActor RecipientOnTimeline = new("", "Link recipient");
    private static readonly TicketActor SystemOnTimeline = new("", "BlazorVault");

    public async Task<CreatedSecureMessage> CreateAsync(int ticketId, SecureMessageInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        var options = await settings.GetAsync<TicketSettings>(cancellationToken);
        if (!options.SecureMessagesEnabled)
        {
            throw new ValidationFailedException("", "Secure message links are turned off (Configuration > Tickets).");
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Content) || input.Content.Length > SecureMessage.ContentMaxLength)
        {
            errors[nameof(SecureMessageInput.Content)] = [$"Enter the secure content, at most {SecureMessage.ContentMaxLength:N0} characters."];
        }

        if (input.Passphrase is { Length: > SecureMessage.PassphraseMaxLength })
        {
            errors[nameof(SecureMessageInput.Passphrase)] = [$"At most {SecureMessage.PassphraseMaxLength} characters."];
        }

        if (!TicketSettings.ExpiryChoices.Contains(input.ExpiryDays))
        {
            errors[nameof(SecureMessageInput.ExpiryDays)] = ["Choose 1, 7 or 30 days."];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking().Where(t => t.Id == ticketId).Select(t => new { t.Id, t.CustomerId, t.RequesterId }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The ticket");
        var (selector, verifier) = OneTimeLink.New();
        var id = Guid.CreateVersion7();
        var salt = RandomNumberGenerator.GetBytes(SecureMessageCipher.SaltBytes);
        var passphrase = string.IsNullOrEmpty(input.Passphrase) ? null : input.Passphrase;
        var (ciphertext, nonce, tag) = SecureMessageCipher.Seal(id, input.Content, verifier, passphrase, salt);
        var now = time.GetUtcNow().UtcDateTime;
        var message = new SecureMessage
        {
            Id = id,
            TicketId = ticket.Id,
            CustomerId = ticket.CustomerId,
            Selector = selector,
            VerifierHash = OneTimeLink.HashVerifier(verifier)!,
            Ciphertext = ciphertext,
            Nonce = nonce,
            Tag = tag,
            Salt = salt,
            HasPassphrase = passphrase is not null,
            RequiresSignIn = options.RequirePortalSignIn,
            RecipientId = ticket.RequesterId,
            AttemptLimit = options.PassphraseAttemptLimit,
            Status = SecureMessageStatus.Active,
            CreatedAt = now,
            CreatedByName = actor.Name,
            ExpiresAt = now.AddDays(input.ExpiryDays),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.SecureMessages.Add(message);
        db.TicketActivities.Add(TicketActivity.ForTicket(ticket.Id, TicketActivityKind.SecureMessage,
            $"Created a one-time secure message link{(message.HasPassphrase ? " with a passphrase" : "")}, expiring {message.ExpiresAt:yyyy-MM-dd HH:mm} UTC.",
            new TicketActor(actor.UserId ?? "", actor.Name), now));
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditEntry(AuditActions.SecureMessageCreated, "Ticket", Id(ticket.Id), ticket.CustomerId, new Dictionary<string, object?>
        {
            ["message"] = id,
            ["expiresAt"] = message.ExpiresAt,
            ["passphrase"] = message.HasPassphrase,
        }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedSecureMessage(id, $"/portal/secure/{selector}#{verifier}", message.ExpiresAt);
    }

    public async Task<IReadOnlyList<SecureMessageSummary>> ListForTicketAsync(int ticketId, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var messages = await db.SecureMessages.AsNoTracking().Where(m => m.TicketId == ticketId).OrderByDescending(m => m.CreatedAt)
            .Select(m => new SecureMessageSummary(m.Id, m.CreatedAt, m.CreatedByName, m.ExpiresAt, m.Status, m.HasPassphrase, m.FailedAttempts, m.AttemptLimit))
            .ToListAsync(cancellationToken);

        // Past its expiry an unswept message is expired already, as far as anyone can tell.
        return [.. messages.Select(m => m.Status == SecureMessageStatus.Active && m.ExpiresAt <= now ? m with { Status = SecureMessageStatus.Expired } : m)];
    }

    /// <summary>Destroys an unviewed message at once (its content is deleted in the same statement).</summary>
    public async Task RevokeAsync(Guid messageId, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var message = await db.SecureMessages.AsNoTracking().Where(m => m.Id == messageId).Select(m => new { m.TicketId, m.CustomerId }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The secure message");
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var revoked = await db.SecureMessages.Where(m => m.Id == messageId && m.Status == SecureMessageStatus.Active).EndAsync(SecureMessageStatus.Revoked, now, null, cancellationToken);
        if (revoked == 0)
        {
            throw new ValidationFailedException("", "This message was already viewed, expired or destroyed.");
        }

        db.TicketActivities.Add(TicketActivity.ForTicket(message.TicketId, TicketActivityKind.SecureMessage, "Revoked the secure message before it was viewed; its content is now deleted.",
            new TicketActor(actor.UserId ?? "", actor.Name), now));
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditEntry(AuditActions.SecureMessageRevoked, "Ticket", Id(message.TicketId), message.CustomerId,
            new Dictionary<string, object?> { ["message"] = messageId }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>For the link's page: never consumes, never counts; everything that cannot be viewed looks the same.</summary>
    public async Task<SecureMessagePreview> PreviewAsync(string? selector, CancellationToken cancellationToken = default)
    {
        if (!OneTimeLink.IsWellFormedSelector(selector))
        {
            return new SecureMessagePreview(false, false, null);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var message = await db.SecureMessages.AsNoTracking()
            .Where(m => m.Selector == selector && m.Status == SecureMessageStatus.Active && m.ExpiresAt > now)
            .Select(m => new { m.HasPassphrase, m.AttemptLimit, m.FailedAttempts, m.RequiresSignIn, m.RecipientId })
            .SingleOrDefaultAsync(cancellationToken);
        if (message is null)
        {
            return new SecureMessagePreview(false, false, null);
        }

        var signInRequired = message.RequiresSignIn && (await currentActor.GetAsync(cancellationToken)).UserId != message.RecipientId;
        return new SecureMessagePreview(true, message.HasPassphrase, message.HasPassphrase && message.AttemptLimit > 0 ? message.AttemptLimit - message.FailedAttempts : null, signInRequired);
    }

    public async Task<RedeemResult> RedeemAsync(string? selector, string? verifier, string? passphrase, string? ipAddress, CancellationToken cancellationToken = default)
    {
        var verifierHash = OneTimeLink.HashVerifier(verifier);
        if (!OneTimeLink.IsWellFormedSelector(selector) || verifierHash is null)
        {
            return new RedeemResult(RedeemOutcome.Unavailable);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var message = await db.SecureMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Selector == selector, cancellationToken);
        if (message is not { Status: SecureMessageStatus.Active, Ciphertext: not null, Nonce: not null, Tag: not null }
            || !OneTimeLink.Matches(message.VerifierHash, verifierHash))
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
            return new RedeemResult(RedeemOutcome.PassphraseRequired, AttemptsRemaining: Remaining(message.AttemptLimit, message.FailedAttempts));
        }

        var content = SecureMessageCipher.TryOpen(message.Id, message.Ciphertext, message.Nonce, message.Tag, verifier!, message.HasPassphrase ? passphrase : null, message.Salt);
        return content is null
            ? await FailAsync(db, message, now, ipAddress, cancellationToken)
            : await ConsumeAsync(db, message, content, now, ipAddress, cancellationToken);
    }

    /// <summary>
    /// The sweep: every active message past its expiry loses its content and becomes Expired, in one statement; the
    /// audit log gets one event with the count.
    /// </summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Set-based, as the update: one timeline entry per expiring message, in the same transaction.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "TicketActivities" ("TicketId", "Kind", "Body", "ActorId", "ActorName", "CreatedAt")
            SELECT "TicketId", {nameof(TicketActivityKind.SecureMessage)}, {ExpiredText}, {""}, {SystemOnTimeline.Name}, {now}
            FROM "SecureMessages" WHERE "Status" = {nameof(SecureMessageStatus.Active)} AND "ExpiresAt" <= {now}
            """, cancellationToken);
        var expired = await db.SecureMessages
            .Where(m => m.Status == SecureMessageStatus.Active && m.ExpiresAt <= now).EndAsync(SecureMessageStatus.Expired, now, null, cancellationToken);
        if (expired > 0)
        {
            await audit.AppendAsync(db, new AuditEntry(AuditActions.SecureMessageExpired, Details: new Dictionary<string, object?> { ["messages"] = expired }), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return expired;
    }

    /// <summary>Exactly one of any number of simultaneous correct requests wins: the content is deleted in the statement that marks the message viewed.</summary>
    private async Task<RedeemResult> ConsumeAsync(BlazorVaultDbContext db, SecureMessage message, string content, DateTime now, string? ip, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var won = await db.SecureMessages
            .Where(m => m.Id == message.Id && m.Status == SecureMessageStatus.Active && m.ExpiresAt > now).EndAsync(SecureMessageStatus.Viewed, now, ip, cancellationToken);
        if (won != 1)
        {
            return new RedeemResult(RedeemOutcome.Unavailable);
        }

        db.TicketActivities.Add(TicketActivity.ForTicket(message.TicketId, TicketActivityKind.SecureMessage,
            $"The secure message was viewed{(ip is null ? "" : $" from {ip}")}; its content is now deleted.", RecipientOnTimeline, now));
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditEntry(AuditActions.SecureMessageViewed, "Ticket", Id(message.TicketId), message.CustomerId,
            new Dictionary<string, object?> { ["message"] = message.Id }, Recipient), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RedeemResult(RedeemOutcome.Shown, content);
    }

    /// <summary>Counts a wrong passphrase atomically, never past the limit; reaching it destroys the content.</summary>
    private async Task<RedeemResult> FailAsync(BlazorVaultDbContext db, SecureMessage message, DateTime now, string? ip, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var counted = await db.SecureMessages
            .Where(m => m.Id == message.Id && m.Status == SecureMessageStatus.Active && (m.AttemptLimit == 0 || m.FailedAttempts < m.AttemptLimit))
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.FailedAttempts, x => x.FailedAttempts + 1), cancellationToken);
        if (counted != 1)
        {
            // The message ended (viewed, locked, revoked) while this guess was checked: still a wrong passphrase on record.
            await audit.AppendAsync(db, new AuditEntry(AuditActions.SecureMessageFailed, "Ticket", Id(message.TicketId), message.CustomerId,
                new Dictionary<string, object?> { ["message"] = message.Id, ["afterEnd"] = true, ["ip"] = ip }, Recipient), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RedeemResult(RedeemOutcome.Unavailable);
        }

        var failures = await db.SecureMessages.Where(m => m.Id == message.Id).Select(m => m.FailedAttempts).SingleAsync(cancellationToken);
        var locked = message.AttemptLimit > 0 && failures >= message.AttemptLimit;
        if (locked)
        {
            await db.SecureMessages.Where(m => m.Id == message.Id && m.Status == SecureMessageStatus.Active).EndAsync(SecureMessageStatus.Locked, now, null, cancellationToken);
        }

        db.TicketActivities.Add(TicketActivity.ForTicket(message.TicketId, TicketActivityKind.SecureMessage, locked
                ? $"The secure message was destroyed after {failures} wrong passphrases."
                : $"Wrong passphrase for the secure message ({failures}{(message.AttemptLimit > 0 ? $" of {message.AttemptLimit}" : "")}){(ip is null ? "" : $" from {ip}")}.",
            RecipientOnTimeline, now));
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditEntry(locked ? AuditActions.SecureMessageLocked : AuditActions.SecureMessageFailed, "Ticket", Id(message.TicketId), message.CustomerId,
            new Dictionary<string, object?> { ["message"] = message.Id, ["failures"] = failures, ["limit"] = message.AttemptLimit, ["ip"] = ip }, Recipient), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RedeemResult(locked ? RedeemOutcome.Unavailable : RedeemOutcome.WrongPassphrase, AttemptsRemaining: Remaining(message.AttemptLimit, failures));
    }

    /// <summary>Expiry found at use, before the sweep: the same end as the sweep gives.</summary>
    private async Task ExpireAsync(BlazorVaultDbContext db, SecureMessage message, DateTime now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var expired = await db.SecureMessages.Where(m => m.Id == message.Id && m.Status == SecureMessageStatus.Active).EndAsync(SecureMessageStatus.Expired, now, null, cancellationToken);
        if (expired == 1)
        {
            db.TicketActivities.Add(TicketActivity.ForTicket(message.TicketId, TicketActivityKind.SecureMessage, ExpiredText, SystemOnTimeline, now));
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(db, new AuditEntry(AuditActions.SecureMessageExpired, "Ticket", Id(message.TicketId), message.CustomerId,
                new Dictionary<string, object?> { ["message"] = message.Id, ["foundAt"] = "use" }, Recipient), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static int? Remaining(int limit, int failures) => limit == 0 ? null : Math.Max(0, limit - failures);

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}

internal static class SecureMessageQueries
{
    /// <summary>Ends the selected messages in one statement: content deleted, status and closing time set (and where it was viewed from).</summary>
    public static Task<int> EndAsync(this IQueryable<SecureMessage> messages, SecureMessageStatus status, DateTime now, string? viewedFrom, CancellationToken cancellationToken) =>
        messages.ExecuteUpdateAsync(m => m
            .SetProperty(x => x.Ciphertext, (byte[]?)null).SetProperty(x => x.Nonce, (byte[]?)null).SetProperty(x => x.Tag, (byte[]?)null)
            .SetProperty(x => x.Status, status).SetProperty(x => x.ClosedAt, now).SetProperty(x => x.ViewedFromIp, x => viewedFrom ?? x.ViewedFromIp), cancellationToken);
}
