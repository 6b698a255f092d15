using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using BlazorVault.Core.Access;
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
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;

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
    /// Checks the agent may see this customer, table and field and that their groups give Reveal on the table there (or an
    /// approved access request does, until it ends), asks for a reason when the Vault setting requires one, commits the audit
    /// event, and only then decrypts.
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

        // Fail closed: the event is committed before a single byte is decrypted.
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

            // Read in the transaction that records the reveal, with whether the agent may reveal there: a group change committed meanwhile
            // either came before this read (refused) or after it (the reveal goes through, audited).
            var target =
                await FindTargetAsync(db, actor, rowId, fieldId, cancellationToken) ?? throw new NotFoundException("The password field");
            // Below Reveal (rare): the agent's level there decides between not found, refused, and an approved request.
            var grant = target.CanReveal
                ? null
                : await AccessRequestService.DemandRevealAsync(
                    db,
                    actor,
                    await CustomerRights.LevelAtAsync(db, actor, target.CustomerId, target.TableId, cancellationToken),
                    rowId,
                    fieldId,
                    revealedAt,
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
                target.Event(
                    kind == RevealKind.Copied ? AuditActions.SecretCopied : AuditActions.SecretRevealed,
                    actor,
                    rowId,
                    fieldId,
                    reason,
                    ("accessRequest", grant)
                ),
                cancellationToken
            );
            if (grant is { } requestId)
            {
                await AccessRequestService.AuditUseAsync(audit, db, actor, requestId, target.CustomerId, rowId, cancellationToken);
            }

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
    /// One query answers every access question: the row's customer, the field is a Password field of a table shown as a
    /// customer tab, both the table and the field are visible for that customer, and whether the actor may reveal there. Null
    /// when the password field is not there.
    /// </summary>
    internal static async Task<RevealTarget?> FindTargetAsync(
        BlazorVaultDbContext db,
        Actor actor,
        int rowId,
        int fieldId,
        CancellationToken cancellationToken
    )
    {
        cancellationToken.ThrowIfCancellationRequested();
        var queries = CompiledTargets.GetValue(
            db.Model,
            _ => new TargetQueries(CompileTarget((_, _, _) => true), CompileTarget(AgentScope.CanReveal))
        );
        var target = await (AgentScope.IsScoped(actor) ? queries.Scoped : queries.Unscoped)(db, rowId, fieldId, actor.UserId);
        return target is { Shown: true }
            ? new RevealTarget(target.CustomerId, target.TableId, target.Table ?? "", target.Field, target.CanReveal)
            : null;
    }

    /// <summary>
    /// The query compiled once for each kind of actor, so that a reveal spends no time translating it: an administrator's (and
    /// the system's) may reveal wherever the field is shown; a scoped agent's adds the EXISTS of <see cref="AgentScope.CanReveal"/>.
    /// Per model, as EF requires (the tests run SQLite and PostgreSQL in one process).
    /// </summary>
    private static readonly ConditionalWeakTable<IModel, TargetQueries> CompiledTargets = new();

    private sealed record TargetQueries(
        Func<BlazorVaultDbContext, int, int, string?, Task<TargetRow?>> Unscoped,
        Func<BlazorVaultDbContext, int, int, string?, Task<TargetRow?>> Scoped
    );

    private static Func<BlazorVaultDbContext, int, int, string?, Task<TargetRow?>> CompileTarget(
        Expression<Func<BlazorVaultDbContext, CustomRow, string?, bool>> canReveal
    )
    {
        Expression<Func<BlazorVaultDbContext, int, int, string?, TargetRow?>> query = (db, rowId, fieldId, userId) =>
            db
                .CustomRows.Where(r => r.Id == rowId)
                .SelectMany(
                    r => db.CustomTableFields.Where(f => f.Id == fieldId && f.TableId == r.TableId && f.Type == CustomFieldType.Password),
                    (r, f) =>
                        new TargetRow
                        {
                            CustomerId = r.CustomerId,
                            TableId = r.TableId,
                            CanReveal = CanRevealHere(db, r, userId),
                            Field = f.Label,
                            Table = db.CustomTables.Where(t => t.Id == r.TableId).Select(t => t.Name).FirstOrDefault(),
                            Shown =
                                db.CustomerFields.Any(c => c.Type == CustomFieldType.Table && c.LinkedTableId == r.TableId)
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
                .SingleOrDefault();
        return EF.CompileAsyncQuery(
            (Expression<Func<BlazorVaultDbContext, int, int, string?, TargetRow?>>)new RuleSplicer(canReveal).Visit(query)
        );
    }

    /// <summary>Where the rule goes in the target's query; <see cref="RuleSplicer"/> puts the rule's body in its place.</summary>
    private static bool CanRevealHere(BlazorVaultDbContext db, CustomRow row, string? userId) =>
        throw new InvalidOperationException("Only a placeholder in the reveal's query, replaced before the query is compiled.");

    private sealed class RuleSplicer(Expression<Func<BlazorVaultDbContext, CustomRow, string?, bool>> rule) : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node) =>
            node.Method.Name == nameof(CanRevealHere) && node.Method.DeclaringType == typeof(RevealSecretCommand)
                ? new ReplacingExpressionVisitor(rule.Parameters, [.. node.Arguments.Select(a => Visit(a))]).Visit(rule.Body)
                : base.VisitMethodCall(node);
    }

    private sealed class TargetRow
    {
        public int CustomerId { get; init; }

        public int TableId { get; init; }

        public bool CanReveal { get; init; }

        public string Field { get; init; } = "";

        public string? Table { get; init; }

        public bool Shown { get; init; }
    }
}

/// <summary>Where a password cell lives, as the reveal commands audit it, and whether the actor's groups give Reveal there.</summary>
internal sealed record RevealTarget(int CustomerId, int TableId, string Table, string Field, bool CanReveal)
{
    /// <summary>The audit event of a reveal of this cell (or an attempt): where, which field, the reason, and any more facts.</summary>
    public AuditEntry Event(string action, Actor actor, int rowId, int fieldId, string? reason, params (string Key, object? Value)[] more)
    {
        var details = new Dictionary<string, object?>
        {
            ["table"] = Table,
            ["field"] = Field,
            ["fieldId"] = fieldId,
            ["reason"] = reason,
        };
        foreach (var (key, value) in more)
        {
            details[key] = value;
        }

        return new AuditEntry(
            action,
            "CustomRow",
            rowId.ToString(CultureInfo.InvariantCulture),
            CustomerId,
            details,
            new AuditActorOverride(actor.UserId, actor.Name)
        );
    }
}
