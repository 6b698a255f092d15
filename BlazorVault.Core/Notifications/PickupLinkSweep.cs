using System.Text.RegularExpressions;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace BlazorVault.Core.Notifications;

/// <summary>
/// The outbox job's second step, for an installation without an SMTP server: a set-password link delivered to the
/// pickup folder stays readable in its .eml file. Once the link is used or has expired, the file is rewritten without
/// it and the email records when, so the Outbox page can say so.
/// </summary>
public sealed partial class PickupLinkSweep(
    ICurrentActor currentActor,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    SettingsService settings,
    IAuditLog audit,
    StoragePaths paths,
    TimeProvider time
)
{
    /// <summary>What the file holds where the link was.</summary>
    public const string RemovedText = "[link removed from this copy of the email: it has been used or has expired]";

    private const int BatchSize = 100;

    /// <returns>How many pickup files lost their link.</returns>
    public async Task<int> RemoveSpentLinksAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        var validityDays = (await settings.GetAsync<EmailSettings>(cancellationToken)).LinkValidityDays;
        var removed = 0;
        while (true)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            var usableIfIssuedAfter = now.AddDays(-validityDays);

            // An email's link is issued just before the email is queued. Using any of an account's links spends all the
            // others, and older links expire first: so the email's link is spent once no link of the account issued up to
            // the email can still be used. The account's later links belong to later emails.
            var spent = await db
                .OutboxEmails.Where(e => e.HasLink && e.PickupFile != null && e.LinkRemovedAt == null)
                .Where(e =>
                    !db.PasswordLinks.Any(l =>
                        l.UserId == e.UserId && l.CreatedAt <= e.CreatedAt && l.UsedAt == null && l.CreatedAt > usableIfIssuedAfter
                    )
                )
                .OrderBy(e => e.Id)
                .Select(e => new { e.Id, e.PickupFile })
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (spent.Count == 0)
            {
                return removed;
            }

            foreach (var email in spent)
            {
                await RemoveLinkAsync(Path.Combine(paths.MailPickupDirectory, Path.GetFileName(email.PickupFile!)), cancellationToken);
            }

            var ids = spent.Select(e => e.Id).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db
                .OutboxEmails.Where(e => ids.Contains(e.Id))
                .ExecuteUpdateAsync(e => e.SetProperty(x => x.LinkRemovedAt, now), cancellationToken);
            await audit.AppendAsync(
                db,
                new AuditEntry(AuditActions.EmailLinksRemoved, Details: new Dictionary<string, object?> { ["emails"] = ids.Count }),
                cancellationToken
            );
            await transaction.CommitAsync(cancellationToken);
            removed += ids.Count;
        }
    }

    /// <summary>
    /// Rewrites the file with the link replaced; the new file takes the old one's name, so a reader gets one or the other.
    /// </summary>
    private static async Task RemoveLinkAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            // Deleted by hand: nothing on disk holds the link any more.
            return;
        }

        var message = await MimeMessage.LoadAsync(path, cancellationToken);
        foreach (var part in message.BodyParts.OfType<TextPart>())
        {
            part.Text = LinkPattern().Replace(part.Text, RemovedText);
        }

        var rewritten = path + ".tmp";
        await MailTransport.WritePickupFileAsync(message, rewritten, FileMode.Create, cancellationToken);
        File.Move(rewritten, path, overwrite: true);
    }

    /// <summary>A set-password link as the email carries it: the address of BlazorVault, the path, selector and verifier.</summary>
    [GeneratedRegex(@"https?://[^\s<>""']*?" + PasswordLinkService.LinkPath + "[A-Za-z0-9_-]+(?:#[A-Za-z0-9_-]*)?")]
    private static partial Regex LinkPattern();
}
