using System.Globalization;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Access;

/// <summary>
/// Time-boxed access requests: an agent who may list a password but not reveal it asks for Reveal on it for 1 hour, 4 hours
/// or 1 day; an administrator, or a member of a group that can approve and covers the customer, approves (possibly for less
/// time) or denies. Approvers are notified in the app bar and by email; the requester's open page gains the eye at once. The
/// grant is checked at every reveal (<see cref="DemandRevealAsync"/>), so it ends by itself. Every step is audited.
/// </summary>
public sealed class AccessRequestService(
    ICurrentActor currentActor,
    IAuditLog audit,
    OutboxWriter outbox,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    ISettingsChangeNotifier changes,
    TimeProvider time
)
{
    /// <summary>How many of their own requests the page shows an agent, newest first.</summary>
    public const int MineShown = 50;

    public async Task<int> RequestAsync(int rowId, int fieldId, AccessRequestInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        var reason = input.Reason?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (reason.Length is 0 or > AccessRequest.ReasonMaxLength)
        {
            errors[nameof(AccessRequestInput.Reason)] =
            [
                $"Say why you need it (at most {AccessRequest.ReasonMaxLength} characters): approvers decide on it.",
            ];
        }

        if (!AccessRequest.RequestMinutes.Contains(input.Minutes))
        {
            errors[nameof(AccessRequestInput.Minutes)] = ["Choose 1 hour, 4 hours or 1 day."];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var target = await TargetAsync(db, rowId, fieldId, cancellationToken) ?? throw new NotFoundException("The password");
        var level = await CustomerVaultService.DemandLevelAsync(
            db,
            actor,
            target.CustomerId,
            target.TableId,
            AccessLevel.List,
            cancellationToken
        );
        if (level >= AccessLevel.Reveal)
        {
            throw new ValidationFailedException("", "You can already reveal this password: use the eye.");
        }

        var open = await db
            .AccessRequests.Where(r =>
                r.RequesterId == actor.UserId
                && r.RowId == rowId
                && r.FieldId == fieldId
                && (r.Status == AccessRequestStatus.Pending || (r.Status == AccessRequestStatus.Approved && r.GrantedUntil > now))
            )
            .Select(r => new { r.Status, r.GrantedUntil })
            .FirstOrDefaultAsync(cancellationToken);
        if (open is not null)
        {
            throw new ValidationFailedException(
                "",
                open.Status == AccessRequestStatus.Pending
                    ? "You already asked for this password; the request is waiting for an approver."
                    : $"You already have access to this password until {EmailTemplates.Format(open.GrantedUntil!.Value)}."
            );
        }

        var request = new AccessRequest(
            actor.UserId!,
            actor.Name,
            target.CustomerId,
            target.TableId,
            rowId,
            fieldId,
            reason,
            input.Minutes,
            now
        );
        db.AccessRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        var approvers = await ApproversAsync(db, target.CustomerId, actor.UserId!, cancellationToken);
        var where = await DescribeAsync(db, request, cancellationToken);
        AccessChanges.AddNotices(
            db,
            approvers.Select(a => a.Id),
            AccessNoticeKind.AccessRequested,
            $"{actor.Name} asks for {Duration(input.Minutes)} of access to {where}: {reason}",
            "/access-requests",
            now,
            request.Id
        );
        await db.SaveChangesAsync(cancellationToken);
        foreach (var approver in approvers.Where(a => !string.IsNullOrEmpty(a.Email)))
        {
            await outbox.QueueAsync(db, OutboxEmailKind.AccessRequested, approver.Email!, actor.UserId, null, null, cancellationToken);
        }

        await AuditAsync(db, AuditActions.AccessRequested, request, cancellationToken, ("approvers", approvers.Count));
        await transaction.CommitAsync(cancellationToken);
        await outbox.DeliverSoonAsync();
        await changes.PublishAccessChangedAsync([actor.UserId!, .. approvers.Select(a => a.Id)], cancellationToken);
        return request.Id;
    }

    /// <summary>The requests the viewer may decide (pending, not their own), and the viewer's own, newest first.</summary>
    public async Task<AccessRequestLists> ListAsync(CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var toDecide = await Decidable(db, actor)
            .Where(r => r.Status == AccessRequestStatus.Pending)
            .OrderBy(r => r.RequestedAt)
            .ToListAsync(cancellationToken);
        var mine = await db
            .AccessRequests.AsNoTracking()
            .Where(r => r.RequesterId == actor.UserId)
            .OrderByDescending(r => r.RequestedAt)
            .ThenByDescending(r => r.Id)
            .Take(MineShown)
            .ToListAsync(cancellationToken);
        var views = await ViewsAsync(db, [.. toDecide, .. mine], now, cancellationToken);
        var granted = mine.Where(r => r.Status == AccessRequestStatus.Approved)
            .Select(r => r.Id.ToString(CultureInfo.InvariantCulture))
            .ToList();
        var uses = (
            await db
                .AuditEvents.Where(e =>
                    e.Action == AuditActions.AccessUsed && e.TargetType == "AccessRequest" && granted.Contains(e.TargetId!)
                )
                .GroupBy(e => e.TargetId!)
                .Select(g => new { Id = g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken)
        ).ToDictionary(u => u.Id, u => u.Count);
        return new AccessRequestLists(
            [.. toDecide.Select(r => views[r.Id] with { CanDecide = true })],
            [.. mine.Select(r => views[r.Id] with { Uses = uses.GetValueOrDefault(r.Id.ToString(CultureInfo.InvariantCulture)) })]
        );
    }

    /// <summary>Whether the viewer decides requests at all: an administrator, or a member of a group that can approve.</summary>
    public async Task<bool> MayDecideAsync(CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        if (actor.IsAdmin)
        {
            return true;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.AgentGroupMembers.AnyAsync(m => m.UserId == actor.UserId && m.Group.CanApprove, cancellationToken);
    }

    /// <summary>Approves for <paramref name="minutes"/> (at most what was asked; null: what was asked).</summary>
    public async Task ApproveAsync(int requestId, int? minutes = null, CancellationToken cancellationToken = default) =>
        await DecideAsync(requestId, approve: true, minutes, cancellationToken);

    public async Task DenyAsync(int requestId, CancellationToken cancellationToken = default) =>
        await DecideAsync(requestId, approve: false, null, cancellationToken);

    /// <summary>
    /// The reveal's check, inside its transaction, given the agent's <paramref name="level"/> on the table there (null: out of
    /// scope): the level, or else a running grant of this agent on this password. Returns the grant used, or null when the
    /// level suffices.
    /// </summary>
    internal static async Task<int?> DemandRevealAsync(
        BlazorVaultDbContext db,
        Actor actor,
        AccessLevel? level,
        int rowId,
        int fieldId,
        DateTime now,
        CancellationToken cancellationToken
    )
    {
        if (level is null or AccessLevel.None)
        {
            throw new NotFoundException(level is null ? "The customer" : "The table");
        }

        if (level >= AccessLevel.Reveal)
        {
            return null;
        }

        var grants = await db
            .AccessRequests.Where(r =>
                r.RequesterId == actor.UserId && r.RowId == rowId && r.FieldId == fieldId && r.Status == AccessRequestStatus.Approved
            )
            .Select(r => new { r.Id, r.GrantedUntil })
            .ToListAsync(cancellationToken);
        var running = grants.Where(g => g.GrantedUntil > now).OrderByDescending(g => g.GrantedUntil).FirstOrDefault();
        if (running is not null)
        {
            return running.Id;
        }

        var ended = grants.Max(g => g.GrantedUntil);
        throw new AccessDeniedException(
            ended is null
                ? $"Your agent groups give {level} on this table; revealing needs Reveal. Use Request access."
                : $"Your approved access to this password ended at {EmailTemplates.Format(ended.Value)}. Request access again."
        );
    }

    /// <summary>The reveal went through on a grant: recorded in the same transaction as the reveal's own event.</summary>
    internal static Task AuditUseAsync(
        IAuditLog audit,
        BlazorVaultDbContext db,
        Actor actor,
        int requestId,
        int customerId,
        int rowId,
        CancellationToken cancellationToken
    ) =>
        audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.AccessUsed,
                "AccessRequest",
                requestId.ToString(CultureInfo.InvariantCulture),
                customerId,
                new Dictionary<string, object?> { ["row"] = rowId },
                new AuditActorOverride(actor.UserId, actor.Name)
            ),
            cancellationToken
        );

    private async Task DecideAsync(int requestId, bool approve, int? minutes, CancellationToken cancellationToken)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RowLocks.AccessRequestAsync(db, requestId, cancellationToken);
        var request =
            await db.AccessRequests.SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken)
            ?? throw new NotFoundException("The access request");
        if (request.RequesterId == actor.UserId)
        {
            throw new AccessDeniedException("You cannot approve or deny your own access request: another approver decides it.");
        }

        if (!await Decidable(db, actor).AnyAsync(r => r.Id == requestId, cancellationToken))
        {
            // Out of the approver's scope: as if it did not exist.
            throw new NotFoundException("The access request");
        }

        if (request.Status != AccessRequestStatus.Pending)
        {
            throw new ValidationFailedException(
                "",
                $"{request.DeciderName} already {(request.Status == AccessRequestStatus.Approved ? "approved" : "denied")} this request "
                    + $"at {EmailTemplates.Format(request.DecidedAt!.Value)}; nothing changed."
            );
        }

        var where = await DescribeAsync(db, request, cancellationToken);
        if (approve)
        {
            var granted = minutes ?? request.Minutes;
            if (!AccessRequest.GrantMinutes.Contains(granted) || granted > request.Minutes)
            {
                throw new ValidationFailedException("Minutes", $"Grant at most the {Duration(request.Minutes)} asked for.");
            }

            if (await TargetAsync(db, request.RowId, request.FieldId, cancellationToken) is null)
            {
                throw new NotFoundException("The password of this request (it was deleted); nothing was approved");
            }

            request.Approve(granted, now, actor.UserId!, actor.Name);
        }
        else
        {
            request.Deny(now, actor.UserId!, actor.Name);
        }

        var settled = await db
            .AccessNotices.Where(n => n.RequestId == requestId && n.Kind == AccessNoticeKind.AccessRequested && n.ReadAt == null)
            .Select(n => n.UserId)
            .ToListAsync(cancellationToken);
        await db
            .AccessNotices.Where(n => n.RequestId == requestId && n.Kind == AccessNoticeKind.AccessRequested && n.ReadAt == null)
            .ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, now), cancellationToken);
        AccessChanges.AddNotices(
            db,
            [request.RequesterId],
            AccessNoticeKind.AccessDecided,
            approve
                ? $"{actor.Name} approved your access to {where} until {EmailTemplates.Format(request.GrantedUntil!.Value)}."
                : $"{actor.Name} denied your access request for {where}.",
            $"/customers/{request.CustomerId.ToString(CultureInfo.InvariantCulture)}",
            now,
            request.Id
        );
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync(
            db,
            approve ? AuditActions.AccessApproved : AuditActions.AccessDenied,
            request,
            cancellationToken,
            ("requester", request.RequesterName),
            ("until", request.GrantedUntil)
        );
        await transaction.CommitAsync(cancellationToken);
        await changes.PublishAccessChangedAsync([request.RequesterId, .. settled], cancellationToken);
    }

    /// <summary>
    /// The requests this actor may decide: every one for administrators, else those at customers their approving groups cover.
    /// </summary>
    private static IQueryable<AccessRequest> Decidable(BlazorVaultDbContext db, Actor actor)
    {
        var requests = db.AccessRequests.AsNoTracking().Where(r => r.RequesterId != actor.UserId);
        if (actor.IsAdmin)
        {
            return requests;
        }

        var userId = actor.UserId;
        return requests.Where(r =>
            db.AgentGroupMembers.Any(m =>
                m.UserId == userId
                && m.Group.CanApprove
                && (m.Group.AllCustomers || m.Group.Customers.Any(c => c.CustomerId == r.CustomerId))
            )
        );
    }

    /// <summary>Enabled administrators and enabled members of approving groups that cover the customer, but not the requester.</summary>
    private static async Task<List<(string Id, string? Email)>> ApproversAsync(
        BlazorVaultDbContext db,
        int customerId,
        string requesterId,
        CancellationToken cancellationToken
    )
    {
        var approvers = await db
            .Users.Where(u =>
                u.DisabledAt == null
                && u.Id != requesterId
                && (
                    db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin))
                    || db.AgentGroupMembers.Any(m =>
                        m.UserId == u.Id
                        && m.Group.CanApprove
                        && (m.Group.AllCustomers || m.Group.Customers.Any(c => c.CustomerId == customerId))
                    )
                )
            )
            .Select(u => new { u.Id, u.Email })
            .ToListAsync(cancellationToken);
        return [.. approvers.Select(a => (a.Id, a.Email))];
    }

    /// <summary>The row's customer and table when the field is a Password field of the row's table.</summary>
    private static Task<RequestTarget?> TargetAsync(BlazorVaultDbContext db, int rowId, int fieldId, CancellationToken cancellationToken) =>
        db
            .CustomRows.Where(r =>
                r.Id == rowId
                && db.CustomTableFields.Any(f => f.Id == fieldId && f.TableId == r.TableId && f.Type == CustomFieldType.Password)
            )
            .Select(r => new RequestTarget(r.CustomerId, r.TableId))
            .SingleOrDefaultAsync(cancellationToken);

    private static async Task<string> DescribeAsync(BlazorVaultDbContext db, AccessRequest request, CancellationToken cancellationToken)
    {
        var views = await ViewsAsync(db, [request], DateTime.MinValue, cancellationToken);
        var view = views[request.Id];
        return $"{view.FieldLabel} of {view.RowLabel} ({view.TableName}) at {view.CustomerName}";
    }

    private static async Task<Dictionary<int, AccessRequestView>> ViewsAsync(
        BlazorVaultDbContext db,
        IReadOnlyList<AccessRequest> requests,
        DateTime now,
        CancellationToken cancellationToken
    )
    {
        var customerIds = requests.Select(r => r.CustomerId).Distinct().ToList();
        var tableIds = requests.Select(r => r.TableId).Distinct().ToList();
        var rowIds = requests.Select(r => r.RowId).Distinct().ToList();
        var fieldIds = requests.Select(r => r.FieldId).Distinct().ToList();
        var customers = await db
            .Customers.Where(c => customerIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var tables = await db.CustomTables.Where(t => tableIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var fields = await db
            .CustomTableFields.Where(f => fieldIds.Contains(f.Id))
            .ToDictionaryAsync(f => f.Id, f => f.Label, cancellationToken);
        var labels = await RowLabelsAsync(db, rowIds, cancellationToken);
        return requests
            .DistinctBy(r => r.Id)
            .ToDictionary(
                r => r.Id,
                r => new AccessRequestView(
                    r.Id,
                    r.RequesterName,
                    r.CustomerId,
                    customers.GetValueOrDefault(r.CustomerId, "(deleted)"),
                    tables.GetValueOrDefault(r.TableId, "(deleted)"),
                    labels.GetValueOrDefault(r.RowId, "(deleted)"),
                    fields.GetValueOrDefault(r.FieldId, "(deleted)"),
                    r.Reason,
                    r.Minutes,
                    r.Status switch
                    {
                        AccessRequestStatus.Pending => AccessRequestState.Pending,
                        AccessRequestStatus.Denied => AccessRequestState.Denied,
                        _ => r.GrantedUntil > now ? AccessRequestState.Active : AccessRequestState.Expired,
                    },
                    r.RequestedAt,
                    r.DecidedAt,
                    r.DeciderName,
                    r.GrantedUntil,
                    false
                )
            );
    }

    /// <summary>Each row's first Text value (by field order), as the tab names it; "row N" when it has none.</summary>
    internal static async Task<Dictionary<int, string>> RowLabelsAsync(
        BlazorVaultDbContext db,
        IReadOnlyList<int> rowIds,
        CancellationToken cancellationToken
    )
    {
        var values = await db
            .CustomValues.Where(v => rowIds.Contains(v.RowId) && v.Text != null)
            .Join(
                db.CustomTableFields.Where(f => f.Type == CustomFieldType.Text),
                v => v.FieldId,
                f => f.Id,
                (v, f) =>
                    new
                    {
                        v.RowId,
                        f.Order,
                        f.Id,
                        v.Text,
                    }
            )
            .ToListAsync(cancellationToken);
        var existing = await db.CustomRows.Where(r => rowIds.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken);
        return existing.ToDictionary(
            id => id,
            id =>
                values.Where(v => v.RowId == id).OrderBy(v => v.Order).ThenBy(v => v.Id).Select(v => v.Text).FirstOrDefault()
                ?? $"row {id.ToString(CultureInfo.InvariantCulture)}"
        );
    }

    private Task AuditAsync(
        BlazorVaultDbContext db,
        string action,
        AccessRequest request,
        CancellationToken cancellationToken,
        params (string Key, object? Value)[] more
    )
    {
        var details = new Dictionary<string, object?>
        {
            ["row"] = request.RowId,
            ["fieldId"] = request.FieldId,
            ["reason"] = request.Reason,
            ["minutes"] = request.Minutes,
        };
        foreach (var (key, value) in more)
        {
            details[key] = value;
        }

        return audit.AppendAsync(
            db,
            new AuditEntry(action, "AccessRequest", request.Id.ToString(CultureInfo.InvariantCulture), request.CustomerId, details),
            cancellationToken
        );
    }

    /// <summary>"1 hour", "4 hours", "1 day", "15 minutes".</summary>
    public static string Duration(int minutes) =>
        minutes switch
        {
            < 60 => $"{minutes.ToString(CultureInfo.InvariantCulture)} minutes",
            60 => "1 hour",
            < 1440 => $"{(minutes / 60).ToString(CultureInfo.InvariantCulture)} hours",
            1440 => "1 day",
            _ => $"{(minutes / 1440).ToString(CultureInfo.InvariantCulture)} days",
        };

    private sealed record RequestTarget(int CustomerId, int TableId);
}
