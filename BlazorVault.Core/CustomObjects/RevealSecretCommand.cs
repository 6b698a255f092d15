using System.Data.Common;
using System.Globalization;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.CustomObjects;

/// <summary>
/// Reveals (or copies) one stored password of the customer password tab, for agents. The audit event and the cell's
/// "last revealed" facts are committed before anything is decrypted; if the audit write fails, nothing is revealed.
/// Portal users never reach it.
/// </summary>
public sealed class RevealSecretCommand(
    ICurrentActor currentActor,
    IAuditLog audit,
    SecretStore secrets,
    SettingsService settings,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
)
{
    public const int ReasonMaxLength = 200;

    /// <summary>
    /// Checks the agent may see this customer, table and field and that their groups give Reveal on the table there, asks
    /// for a reason when the Vault setting requires one, commits the audit event, and only then decrypts.
    /// </summary>
    public async Task<RevealedSecret> RevealAsync(
        int rowId,
        int fieldId,
        RevealKind kind,
        string? reason = null,
        CancellationToken cancellationToken = default
    )
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        var vault = await settings.GetAsync<VaultSettings>(cancellationToken);
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (vault.RequireRevealReason && reason is null)
        {
            throw new ValidationFailedException("Reason", "Give a reason or ticket number: it is recorded in the audit log.");
        }

        if (reason is { Length: > ReasonMaxLength })
        {
            throw new ValidationFailedException("Reason", $"At most {ReasonMaxLength} characters.");
        }

        var slot = CustomValue.SecretSlotOf(rowId, fieldId);
        var revealedAt = time.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        var target = await FindTargetAsync(db, rowId, fieldId, cancellationToken);
        if (target is null)
        {
            throw new NotFoundException("The password field");
        }

        // Fail closed: the event is committed before a single byte is decrypted.
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

            // The agent's groups, read in the transaction that records the reveal: a group change committed meanwhile
            // either came before this read (refused) or after it (the reveal goes through, audited).
            await CustomerVaultService.DemandLevelAsync(
                db,
                actor,
                target.CustomerId,
                target.TableId,
                AccessLevel.Reveal,
                cancellationToken
            );
            var marked = await db
                .CustomValues.Where(v => v.RowId == rowId && v.FieldId == fieldId && v.SecretChangedAt != null)
                .ExecuteUpdateAsync(
                    v => v.SetProperty(x => x.LastRevealedAt, revealedAt).SetProperty(x => x.LastRevealedBy, actor.Name),
                    cancellationToken
                );
            if (marked == 0)
            {
                throw new NotFoundException("The password");
            }

            await audit.AppendAsync(
                db,
                new AuditEntry(
                    kind == RevealKind.Copied ? AuditActions.SecretCopied : AuditActions.SecretRevealed,
                    "CustomRow",
                    rowId.ToString(CultureInfo.InvariantCulture),
                    target.CustomerId,
                    new Dictionary<string, object?>
                    {
                        ["table"] = target.Table,
                        ["field"] = target.Field,
                        ["fieldId"] = fieldId,
                        ["reason"] = reason,
                    },
                    new AuditActorOverride(actor.UserId, actor.Name)
                ),
                cancellationToken
            );
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException)
        {
            throw new AuditUnavailableException(
                "The reveal could not be recorded in the audit log, so the password was not shown. Try again; if it keeps failing, "
                    + "tell an administrator.",
                ex
            );
        }

        var plaintext = await secrets.ReadAsync(db, slot, cancellationToken) ?? throw new NotFoundException("The password");
        return new RevealedSecret(plaintext, revealedAt, actor.Name);
    }

    /// <summary>
    /// The password cell's customer, table and names, or null unless the field is a Password field of a table shown as a
    /// customer tab and both the table and the field are visible for that customer (one query).
    /// </summary>
    internal static async Task<RevealTarget?> FindTargetAsync(
        BlazorVaultDbContext db,
        int rowId,
        int fieldId,
        CancellationToken cancellationToken
    )
    {
        var target = await db
            .CustomRows.AsNoTracking()
            .Where(r => r.Id == rowId)
            .SelectMany(
                r => db.CustomTableFields.Where(f => f.Id == fieldId && f.TableId == r.TableId && f.Type == CustomFieldType.Password),
                (r, f) =>
                    new
                    {
                        r.CustomerId,
                        r.TableId,
                        Field = f.Label,
                        Table = db.CustomTables.Where(t => t.Id == r.TableId).Select(t => t.Name).FirstOrDefault(),
                        Shown = db.CustomerFields.Any(c => c.Type == CustomFieldType.Table && c.LinkedTableId == r.TableId)
                            && (
                                !db.CustomVisibility.Any(v => v.TableId == r.TableId)
                                || db.CustomVisibility.Any(v => v.TableId == r.TableId && v.CustomerId == r.CustomerId)
                            )
                            && (
                                !db.CustomVisibility.Any(v => v.FieldId == f.Id)
                                || db.CustomVisibility.Any(v => v.FieldId == f.Id && v.CustomerId == r.CustomerId)
                            ),
                    }
            )
            .SingleOrDefaultAsync(cancellationToken);
        return target is { Shown: true } ? new RevealTarget(target.CustomerId, target.TableId, target.Table ?? "", target.Field) : null;
    }
}

/// <summary>Where a password cell lives, as the reveal commands audit it.</summary>
internal sealed record RevealTarget(int CustomerId, int TableId, string Table, string Field);
