using System.Globalization;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Access;

/// <summary>
/// Needs rotation: administrators mark stored passwords that someone who should no longer know them may know; agents who may
/// edit them see them on their Home page; a new value clears the mark (<see cref="CustomValue.ReplaceSecret"/>).
/// </summary>
public sealed class PasswordRotationService(
    ICurrentActor currentActor,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    ISettingsChangeNotifier changes,
    TimeProvider time
)
{
    /// <summary>The most cells one call marks.</summary>
    public const int MaxCells = 10_000;

    /// <summary>
    /// Marks each cell Needs rotation with the reason, one audit event per cell (so each password's history and its customer's
    /// Access log show it), all in one transaction. Unknown cells change nothing.
    /// </summary>
    /// <returns>How many cells were marked.</returns>
    public async Task<int> MarkAsync(
        IReadOnlyCollection<PasswordCellRef> cells,
        string? reason,
        CancellationToken cancellationToken = default
    )
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        reason = reason?.Trim() ?? "";
        if (reason.Length is 0 or > CustomValue.RotationReasonMaxLength)
        {
            throw new ValidationFailedException(
                "Reason",
                $"Say why in at most {CustomValue.RotationReasonMaxLength} characters: the agents who rotate it see it."
            );
        }

        var wanted = cells.Distinct().ToList();
        if (wanted.Count is 0 or > MaxCells)
        {
            throw new ValidationFailedException("", $"Choose between 1 and {MaxCells:N0} passwords.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rowIds = wanted.Select(c => c.RowId).Distinct().ToList();
        var found = (
            await (
                from v in db.CustomValues
                join r in db.CustomRows on v.RowId equals r.Id
                join f in db.CustomTableFields on v.FieldId equals f.Id
                join t in db.CustomTables on r.TableId equals t.Id
                where rowIds.Contains(v.RowId) && f.Type == CustomFieldType.Password && v.SecretChangedAt != null
                select new
                {
                    v.RowId,
                    v.FieldId,
                    r.CustomerId,
                    Table = t.Name,
                    Field = f.Label,
                }
            ).ToListAsync(cancellationToken)
        ).ToDictionary(c => new PasswordCellRef(c.RowId, c.FieldId));
        var missing = wanted.Where(c => !found.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new ValidationFailedException(
                "",
                $"{missing.Count} of the chosen passwords no longer exist or have no value: nothing was marked. Reload and choose again."
            );
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var field in wanted.GroupBy(c => c.FieldId))
        {
            var fieldRows = field.Select(c => c.RowId).ToList();
            await db
                .CustomValues.Where(v => v.FieldId == field.Key && fieldRows.Contains(v.RowId))
                .ExecuteUpdateAsync(
                    v =>
                        v.SetProperty(x => x.RotationRequestedAt, now)
                            .SetProperty(x => x.RotationRequestedBy, actor.Name)
                            .SetProperty(x => x.RotationReason, reason),
                    cancellationToken
                );
        }

        foreach (var cell in wanted)
        {
            var target = found[cell];
            await audit.AppendAsync(
                db,
                new AuditEntry(
                    AuditActions.RotationRequested,
                    "CustomRow",
                    cell.RowId.ToString(CultureInfo.InvariantCulture),
                    target.CustomerId,
                    new Dictionary<string, object?>
                    {
                        ["table"] = target.Table,
                        ["field"] = target.Field,
                        ["fieldId"] = cell.FieldId,
                        ["reason"] = reason,
                    }
                ),
                cancellationToken
            );
        }

        await transaction.CommitAsync(cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
        return wanted.Count;
    }

    /// <summary>
    /// The passwords the calling agent must rotate: marked Needs rotation, at customers in their scope, on tables where their
    /// groups give Edit or more (everything for administrators).
    /// </summary>
    public async Task<IReadOnlyList<RotationDue>> ListDueAsync(CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var marked = await (
            from v in db.CustomValues
            join r in db.CustomRows on v.RowId equals r.Id
            join f in db.CustomTableFields on v.FieldId equals f.Id
            join t in db.CustomTables on r.TableId equals t.Id
            join c in db.Customers on r.CustomerId equals c.Id
            where v.RotationRequestedAt != null && f.Type == CustomFieldType.Password
            select new
            {
                r.CustomerId,
                CustomerName = c.Name,
                r.TableId,
                TableName = t.Name,
                v.RowId,
                v.FieldId,
                FieldLabel = f.Label,
                v.RotationReason,
                v.RotationRequestedAt,
                v.RotationRequestedBy,
            }
        )
            .InScope(db, actor, x => x.CustomerId)
            .ToListAsync(cancellationToken);
        var rights = new Dictionary<int, CustomerRights>();
        var due = new List<RotationDue>();
        foreach (var m in marked)
        {
            if (!rights.TryGetValue(m.CustomerId, out var atCustomer))
            {
                atCustomer = await CustomerRights.ReadAsync(db, actor, m.CustomerId, cancellationToken);
                rights[m.CustomerId] = atCustomer;
            }

            if (atCustomer.LevelOn(m.TableId) >= AccessLevel.Edit)
            {
                due.Add(
                    new RotationDue(
                        m.CustomerId,
                        m.CustomerName,
                        m.TableId,
                        m.TableName,
                        m.RowId,
                        "",
                        m.FieldId,
                        m.FieldLabel,
                        m.RotationReason ?? "",
                        m.RotationRequestedAt!.Value,
                        m.RotationRequestedBy ?? ""
                    )
                );
            }
        }

        var labels = await AtRiskReportService.RowLabelsAsync(db, [.. due.Select(d => d.RowId).Distinct()], cancellationToken);
        return
        [
            .. due.Select(d => d with { RowLabel = labels.GetValueOrDefault(d.RowId) ?? AtRiskReportService.RowLabel(d.RowId) })
                .OrderBy(d => d.CustomerName, StringComparer.CurrentCulture)
                .ThenBy(d => d.TableName, StringComparer.CurrentCulture)
                .ThenBy(d => d.RowLabel, StringComparer.CurrentCulture),
        ];
    }
}
