using System.Globalization;
using System.Text.Json;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Access;

/// <summary>
/// The offboarding at-risk report, for administrators: the passwords an agent revealed, copied or revealed through
/// break-glass (read from the audit log, no table of its own) that have not changed since their last such event.
/// </summary>
public sealed class AtRiskReportService(ICurrentActor currentActor, IDbContextFactory<BlazorVaultDbContext> contextFactory)
{
    /// <summary>The audit actions after which the agent may know the password.</summary>
    public static readonly IReadOnlyList<string> RevealActions =
    [
        AuditActions.SecretRevealed,
        AuditActions.SecretCopied,
        AuditActions.BreakGlassRevealed,
    ];

    public async Task<IReadOnlyList<AtRiskPassword>> GetAsync(AtRiskQuery query, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Users.AnyAsync(u => u.Id == query.AgentId, cancellationToken))
        {
            throw new NotFoundException("The agent");
        }

        return await ReadAsync(db, query, cancellationToken);
    }

    /// <summary>
    /// For Configuration &gt; Agents: how many passwords are at risk for each agent who is disabled or was taken out of a
    /// group (all time); agents without any are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> CountOffboardedAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var agentIds = await db
            .Users.Where(u => u.DisabledAt != null || u.AccessNarrowedAt != null)
            .Select(u => u.Id)
            .ToListAsync(cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var agentId in agentIds)
        {
            var count = (await ReadAsync(db, new AtRiskQuery(agentId), cancellationToken)).Count;
            if (count > 0)
            {
                counts[agentId] = count;
            }
        }

        return counts;
    }

    private static async Task<List<AtRiskPassword>> ReadAsync(
        BlazorVaultDbContext db,
        AtRiskQuery query,
        CancellationToken cancellationToken
    )
    {
        var from = AsUtc(query.From);
        var to = AsUtc(query.To);
        var actions = RevealActions.ToList();
        var events = await db
            .AuditEvents.AsNoTracking()
            .Where(e =>
                e.ActorId == query.AgentId
                && actions.Contains(e.Action)
                && e.TargetType == "CustomRow"
                && (from == null || e.OccurredAt >= from)
                && (to == null || e.OccurredAt < to)
            )
            .Select(e => new
            {
                e.TargetId,
                e.Action,
                e.Details,
                e.OccurredAt,
            })
            .ToListAsync(cancellationToken);
        var last = new Dictionary<PasswordCellRef, (DateTime At, string Action)>();
        foreach (var e in events)
        {
            if (CellOf(e.TargetId, e.Details) is { } cell && (!last.TryGetValue(cell, out var seen) || seen.At < e.OccurredAt))
            {
                last[cell] = (e.OccurredAt, e.Action);
            }
        }

        if (last.Count == 0)
        {
            return [];
        }

        var rowIds = last.Keys.Select(c => c.RowId).Distinct().ToList();
        var cells = await (
            from v in db.CustomValues
            join r in db.CustomRows on v.RowId equals r.Id
            join f in db.CustomTableFields on v.FieldId equals f.Id
            join t in db.CustomTables on r.TableId equals t.Id
            join c in db.Customers on r.CustomerId equals c.Id
            where rowIds.Contains(v.RowId) && f.Type == CustomFieldType.Password && v.SecretChangedAt != null
            select new
            {
                v.RowId,
                v.FieldId,
                v.SecretChangedAt,
                v.RotationRequestedAt,
                v.RotationReason,
                r.CustomerId,
                CustomerName = c.Name,
                r.TableId,
                TableName = t.Name,
                FieldLabel = f.Label,
            }
        ).ToListAsync(cancellationToken);
        var labels = await RowLabelsAsync(db, rowIds, cancellationToken);
        return
        [
            .. cells
                .Select(c => (Cell: c, Seen: last.TryGetValue(new PasswordCellRef(c.RowId, c.FieldId), out var seen) ? seen : default))
                .Where(x => x.Seen.Action is not null && x.Cell.SecretChangedAt <= x.Seen.At)
                .Select(x => new AtRiskPassword(
                    x.Cell.RowId,
                    x.Cell.FieldId,
                    x.Cell.CustomerId,
                    x.Cell.CustomerName,
                    x.Cell.TableId,
                    x.Cell.TableName,
                    labels.GetValueOrDefault(x.Cell.RowId) ?? RowLabel(x.Cell.RowId),
                    x.Cell.FieldLabel,
                    x.Seen.At,
                    x.Seen.Action,
                    x.Cell.RotationRequestedAt,
                    x.Cell.RotationReason
                ))
                .OrderBy(p => p.CustomerName, StringComparer.CurrentCulture)
                .ThenBy(p => p.TableName, StringComparer.CurrentCulture)
                .ThenBy(p => p.RowLabel, StringComparer.CurrentCulture)
                .ThenBy(p => p.FieldLabel, StringComparer.CurrentCulture),
        ];
    }

    /// <summary>
    /// Each row as the password tab names it: the value of its first Text field (in field order) that has one.
    /// </summary>
    internal static async Task<Dictionary<int, string>> RowLabelsAsync(
        BlazorVaultDbContext db,
        List<int> rowIds,
        CancellationToken cancellationToken
    )
    {
        var texts = await (
            from v in db.CustomValues
            join f in db.CustomTableFields on v.FieldId equals f.Id
            where rowIds.Contains(v.RowId) && f.Type == CustomFieldType.Text && v.Text != null
            select new
            {
                v.RowId,
                f.Order,
                f.Id,
                v.Text,
            }
        ).ToListAsync(cancellationToken);
        return texts
            .Where(t => !string.IsNullOrWhiteSpace(t.Text))
            .GroupBy(t => t.RowId)
            .ToDictionary(g => g.Key, g => g.OrderBy(t => t.Order).ThenBy(t => t.Id).First().Text!);
    }

    internal static string RowLabel(int rowId) => $"row {rowId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The cell a reveal event names: its target row and the "fieldId" of its details.</summary>
    private static PasswordCellRef? CellOf(string? targetId, string? details)
    {
        if (!int.TryParse(targetId, NumberStyles.None, CultureInfo.InvariantCulture, out var rowId) || details is null)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(details);
            return
                json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("fieldId", out var field)
                && field.ValueKind == JsonValueKind.Number
                && field.TryGetInt32(out var fieldId)
                ? new PasswordCellRef(rowId, fieldId)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTime? AsUtc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}
