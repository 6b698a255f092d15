using System.Globalization;
using System.Security.Cryptography;
using BlazorVault.Core.Access;
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

/// <summary>A message as the ticket lists it for agents: its state, never its content or link.</summary>
public sealed record SecureMessageSummary(
    Guid Id,
    DateTime CreatedAt,
    string CreatedBy,
    DateTime ExpiresAt,
    SecureMessageStatus Status,
    bool HasPassphrase,
    int FailedAttempts,
    int AttemptLimit
);

/// <summary>
/// One-time secure messages, the agents' side: created from a ticket, listed on it, revoked before they are viewed. The
/// recipient's side is <see cref="RedeemSecureMessageCommand"/>; the expiry job's is <see cref="SecureMessageExpirySweep"/>.
/// </summary>
public sealed class SecureMessageService(
    ICurrentActor currentActor,
    IAuditLog audit,
    SettingsService settings,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
)
{
    public async Task<CreatedSecureMessage> CreateAsync(
        int ticketId,
        SecureMessageInput input,
        CancellationToken cancellationToken = default
    )
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
            errors[nameof(SecureMessageInput.Content)] =
            [
                $"Enter the secure content, at most {SecureMessage.ContentMaxLength:N0} characters.",
            ];
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
        var ticket =
            await db
                .Tickets.AsNoTracking()
                .Where(t => t.Id == ticketId)
                .InScope(db, actor, t => t.CustomerId)
                .Select(t => new
                {
                    t.Id,
                    t.CustomerId,
                    t.RequesterId,
                })
                .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The ticket");
        var (selector, verifier) = OneTimeLink.New();
        var id = Guid.CreateVersion7();
        var salt = RandomNumberGenerator.GetBytes(SecureMessageCipher.SaltBytes);
        var passphrase = string.IsNullOrEmpty(input.Passphrase) ? null : input.Passphrase;
        var content = SecureMessageCipher.Seal(id, input.Content, verifier, passphrase, salt);
        var now = time.GetUtcNow().UtcDateTime;
        var message = SecureMessage.Create(
            id,
            ticket.Id,
            ticket.CustomerId,
            recipientId: ticket.RequesterId,
            selector,
            OneTimeLink.HashVerifier(verifier)!,
            content,
            salt,
            hasPassphrase: passphrase is not null,
            requiresSignIn: options.RequirePortalSignIn,
            attemptLimit: options.PassphraseAttemptLimit,
            createdByName: actor.Name,
            createdAt: now,
            expiresAt: now.AddDays(input.ExpiryDays)
        );
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.SecureMessages.Add(message);
        var withPassphrase = message.HasPassphrase ? " with a passphrase" : "";
        db.TicketActivities.Add(
            TicketActivity.ForTicket(
                ticket.Id,
                TicketActivityKind.SecureMessage,
                $"Created a one-time secure message link{withPassphrase}, expiring {message.ExpiresAt:yyyy-MM-dd HH:mm} UTC.",
                new TicketActor(actor.UserId ?? "", actor.Name),
                now
            )
        );
        await db.SaveChangesAsync(cancellationToken);
        var details = new Dictionary<string, object?>
        {
            ["message"] = id,
            ["expiresAt"] = message.ExpiresAt,
            ["passphrase"] = message.HasPassphrase,
        };
        await audit.AppendAsync(
            db,
            new AuditEntry(AuditActions.SecureMessageCreated, "Ticket", Id(ticket.Id), ticket.CustomerId, details),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return new CreatedSecureMessage(id, $"/portal/secure/{selector}#{verifier}", message.ExpiresAt);
    }

    public async Task<IReadOnlyList<SecureMessageSummary>> ListForTicketAsync(int ticketId, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var messages = await db
            .SecureMessages.AsNoTracking()
            .Where(m => m.TicketId == ticketId)
            .InScope(db, actor, m => m.CustomerId)
            .OrderByDescending(m => m.CreatedAt)
            .Select(m => new SecureMessageSummary(
                m.Id,
                m.CreatedAt,
                m.CreatedByName,
                m.ExpiresAt,
                m.Status,
                m.HasPassphrase,
                m.FailedAttempts,
                m.AttemptLimit
            ))
            .ToListAsync(cancellationToken);

        // Past its expiry an unswept message is expired already, as far as anyone can tell.
        return
        [
            .. messages.Select(m =>
                m.Status == SecureMessageStatus.Active && m.ExpiresAt <= now ? m with { Status = SecureMessageStatus.Expired } : m
            ),
        ];
    }

    /// <summary>Destroys an unviewed message at once (its content is deleted in the same statement).</summary>
    public async Task RevokeAsync(Guid messageId, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var message =
            await db
                .SecureMessages.AsNoTracking()
                .Where(m => m.Id == messageId)
                .InScope(db, actor, m => m.CustomerId)
                .Select(m => new { m.TicketId, m.CustomerId })
                .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The secure message");
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var revoked = await db
            .SecureMessages.Where(m => m.Id == messageId && m.Status == SecureMessageStatus.Active)
            .EndAsync(SecureMessageStatus.Revoked, now, null, cancellationToken);
        if (revoked == 0)
        {
            throw new ValidationFailedException("", "This message was already viewed, expired or destroyed.");
        }

        db.TicketActivities.Add(
            TicketActivity.ForTicket(
                message.TicketId,
                TicketActivityKind.SecureMessage,
                "Revoked the secure message before it was viewed; its content is now deleted.",
                new TicketActor(actor.UserId ?? "", actor.Name),
                now
            )
        );
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.SecureMessageRevoked,
                "Ticket",
                Id(message.TicketId),
                message.CustomerId,
                new Dictionary<string, object?> { ["message"] = messageId }
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
