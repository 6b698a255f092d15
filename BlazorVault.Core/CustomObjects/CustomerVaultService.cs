using System.Globalization;
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
/// The customer password tab, for agents: rows of the custom tables linked to customers, with password cells that
/// are encrypted secrets. A reveal or copy writes its audit event and commits it before anything is decrypted; if
/// the audit write fails, nothing is revealed. Portal users never reach any of it.
/// </summary>
public sealed class CustomerVaultService(
    ICurrentActor currentActor,
    IAuditLog audit,
    SecretStore secrets,
    SettingsService settings,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time)
{
    public const string SecretPurpose = "custom-field";
    public const int ReasonMaxLength = 200;

    internal static SecretSlot SlotOf(int rowId, int fieldId) =>
        new(SecretPurpose, rowId.ToString(CultureInfo.InvariantCulture), fieldId.ToString(CultureInfo.InvariantCulture));

    /// <summary>The custom tables shown as tabs on this customer (Customer fields of type Table), with the fields it may see.</summary>
    public async Task<IReadOnlyList<VaultTab>> GetTabsAsync(int customerId, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await DemandCustomerExistsAsync(db, customerId, cancellationToken);
        var links = await db.CustomerFields.AsNoTracking()
            .Where(f => f.Type == CustomFieldType.Table && f.LinkedTableId != null)
            .OrderBy(f => f.Order).ThenBy(f => f.Id)
            .ToListAsync(cancellationToken);
        var tabs = new List<VaultTab>();
        foreach (var link in links)
        {
            var table = await LoadTableAsync(db, link.LinkedTableId!.Value, cancellationToken);
            if (table is not null && IsVisible(table.Visibility, customerId))
            {
                tabs.Add(new VaultTab(table.Id, link.Label, VisibleFields(table, customerId)));
            }
        }

        return tabs;
    }

    public async Task<PagedResult<VaultRowView>> ListRowsAsync(int customerId, int tableId, VaultRowQuery query, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (table, fields) = await VisibleTableAsync(db, customerId, tableId, cancellationToken);
        var (page, pageSize) = Paging.Normalize(query.Page, query.PageSize);
        var rows = db.CustomRows.AsNoTracking().Where(r => r.TableId == table.Id && r.CustomerId == customerId);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // Only the fields this customer shows: a hidden field's content must not leak through which rows match.
            var term = query.Search.Trim().ToLowerInvariant();
            var searchable = fields.Where(f => f.Type != CustomFieldType.Password).Select(f => f.Id).ToList();
            rows = rows.Where(r => db.CustomValues.Any(v => v.RowId == r.Id && searchable.Contains(v.FieldId) && v.SearchText != null && v.SearchText.Contains(term)));
        }

        var total = await rows.CountAsync(cancellationToken);
        var sortField = fields.FirstOrDefault(f => f.Id == query.SortFieldId && f.Type != CustomFieldType.Password);
        IQueryable<CustomRow> ordered;
        if (sortField is null)
        {
            ordered = rows.OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id);
        }
        else
        {
            var key = rows.Select(r => new { Row = r, Key = db.CustomValues.Where(v => v.RowId == r.Id && v.FieldId == sortField.Id).Select(v => v.SearchText).FirstOrDefault() });
            ordered = (query.Descending ? key.OrderByDescending(k => k.Key).ThenByDescending(k => k.Row.Id) : key.OrderBy(k => k.Key).ThenBy(k => k.Row.Id)).Select(k => k.Row);
        }

        var pageRows = await ordered.Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var ids = pageRows.Select(r => r.Id).ToList();
        var fieldIds = fields.Select(f => f.Id).ToList();
        var values = (await db.CustomValues.AsNoTracking().Where(v => ids.Contains(v.RowId) && fieldIds.Contains(v.FieldId)).ToListAsync(cancellationToken))
            .ToLookup(v => v.RowId);
        var items = pageRows.Select(r => ToView(r, values[r.Id].ToList(), fields)).ToList();
        return new PagedResult<VaultRowView>(items, total, page, pageSize);
    }

    public async Task<int> CreateRowAsync(int customerId, int tableId, VaultRowInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (table, fields) = await VisibleTableAsync(db, customerId, tableId, cancellationToken);
        await ValidateAsync(db, customerId, fields, input, isNew: true, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var row = new CustomRow { TableId = table.Id, CustomerId = customerId, CreatedAt = now, CreatedBy = actor.Name, UpdatedAt = now, UpdatedBy = actor.Name };
        db.CustomRows.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        var changed = await ApplyAsync(db, row, [], fields, input, actor, now, cancellationToken);
        await audit.AppendAsync(db, new AuditEntry(AuditActions.VaultRowCreated, "CustomRow", Id(row.Id), customerId, Details(table, changed)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return row.Id;
    }

    public async Task UpdateRowAsync(int rowId, VaultRowInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.CustomRows.SingleOrDefaultAsync(r => r.Id == rowId, cancellationToken) ?? throw new NotFoundException("The row");
        var (table, fields) = await VisibleTableAsync(db, row.CustomerId, row.TableId, cancellationToken);
        await ValidateAsync(db, row.CustomerId, fields, input, isNew: false, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.CustomValues.Where(v => v.RowId == row.Id).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await ApplyAsync(db, row, existing, fields, input, actor, now, cancellationToken);
        if (changed.Count == 0)
        {
            return;
        }

        row.UpdatedAt = now;
        row.UpdatedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditEntry(AuditActions.VaultRowChanged, "CustomRow", Id(row.Id), row.CustomerId, Details(table, changed)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteRowAsync(int rowId, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.CustomRows.SingleOrDefaultAsync(r => r.Id == rowId, cancellationToken) ?? throw new NotFoundException("The row");
        var (table, _) = await VisibleTableAsync(db, row.CustomerId, row.TableId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var entityId = Id(row.Id);
        await db.Secrets.Where(s => s.Purpose == SecretPurpose && s.EntityId == entityId).ExecuteDeleteAsync(cancellationToken);
        db.CustomRows.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditEntry(AuditActions.VaultRowDeleted, "CustomRow", entityId, row.CustomerId, new Dictionary<string, object?> { ["table"] = table.Name }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Reveals (or copies) one password: checks the agent may see this customer, table and field, asks for a reason
    /// when the Vault setting requires one, commits the audit event, and only then decrypts.
    /// </summary>
    public async Task<RevealedSecret> RevealAsync(int rowId, int fieldId, RevealKind kind, string? reason = null, CancellationToken cancellationToken = default)
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

        var slot = SlotOf(rowId, fieldId);
        var revealedAt = time.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        // One query answers every access question: the row's customer, the field is a Password field of a table shown
        // as a customer tab, and both the table and the field are visible for that customer.
        var target = await db.CustomRows.AsNoTracking()
            .Where(r => r.Id == rowId)
            .SelectMany(r => db.CustomTableFields.Where(f => f.Id == fieldId && f.TableId == r.TableId && f.Type == CustomFieldType.Password), (r, f) => new
            {
                r.CustomerId,
                Field = f.Label,
                Table = db.CustomTables.Where(t => t.Id == r.TableId).Select(t => t.Name).FirstOrDefault(),
                Shown = db.CustomerFields.Any(c => c.Type == CustomFieldType.Table && c.LinkedTableId == r.TableId)
                    && (!db.CustomVisibility.Any(v => v.TableId == r.TableId) || db.CustomVisibility.Any(v => v.TableId == r.TableId && v.CustomerId == r.CustomerId))
                    && (!db.CustomVisibility.Any(v => v.FieldId == f.Id) || db.CustomVisibility.Any(v => v.FieldId == f.Id && v.CustomerId == r.CustomerId)),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (target is not { Shown: true })
        {
            throw new NotFoundException("The password field");
        }

        // Fail closed: the event is committed before a single byte is decrypted.
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var marked = await db.CustomValues
                .Where(v => v.RowId == rowId && v.FieldId == fieldId && v.SecretChangedAt != null)
                .ExecuteUpdateAsync(v => v.SetProperty(x => x.LastRevealedAt, revealedAt).SetProperty(x => x.LastRevealedBy, actor.Name), cancellationToken);
            if (marked == 0)
            {
                throw new NotFoundException("The password");
            }

            await audit.AppendAsync(db, new AuditEntry(
                kind == RevealKind.Copied ? AuditActions.SecretCopied : AuditActions.SecretRevealed, "CustomRow", Id(rowId), target.CustomerId,
                new Dictionary<string, object?> { ["table"] = target.Table, ["field"] = target.Field, ["fieldId"] = fieldId, ["reason"] = reason },
                new AuditActorOverride(actor.UserId, actor.Name)), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or DbUpdateException or InvalidOperationException)
        {
            throw new AuditUnavailableException("The reveal could not be recorded in the audit log, so the password was not shown. Try again; if it keeps failing, tell an administrator.", ex);
        }

        var plaintext = await secrets.ReadAsync(db, slot, cancellationToken) ?? throw new NotFoundException("The password");
        return new RevealedSecret(plaintext, revealedAt, actor.Name);
    }

    /// <summary>The customer's values of the Customer fields that are not tabs, for its Details.</summary>
    public async Task<CustomerFieldValues> GetCustomerFieldsAsync(int customerId, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await DemandCustomerExistsAsync(db, customerId, cancellationToken);
        var fields = await ValueFieldsAsync(db, cancellationToken);
        var values = await db.CustomerFieldValues.AsNoTracking().Where(v => v.CustomerId == customerId).ToDictionaryAsync(v => v.CustomerFieldId, v => v.Text, cancellationToken);
        return new CustomerFieldValues(fields, values);
    }

    /// <summary>Saves the customer's custom field values (validated per type), audited with the labels that changed.</summary>
    public async Task SaveCustomerFieldsAsync(int customerId, VaultRowInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await DemandCustomerExistsAsync(db, customerId, cancellationToken);
        var fields = await ValueFieldsAsync(db, cancellationToken);
        await ValidateAsync(db, customerId, fields, input, isNew: true, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.CustomerFieldValues.Where(v => v.CustomerId == customerId).ToListAsync(cancellationToken);
        var changed = new List<string>();
        foreach (var field in fields.Where(f => input.Values.ContainsKey(f.Id)))
        {
            var text = string.IsNullOrWhiteSpace(input.Values[field.Id]) ? null : input.Values[field.Id]!.Trim();
            var cell = existing.SingleOrDefault(v => v.CustomerFieldId == field.Id);
            if (cell is null)
            {
                cell = new CustomerFieldValue { CustomerFieldId = field.Id, CustomerId = customerId };
                db.CustomerFieldValues.Add(cell);
            }

            if (cell.Text != text)
            {
                cell.Text = text;
                changed.Add(field.Label);
            }
        }

        if (changed.Count == 0)
        {
            return;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditEntry(AuditActions.CustomerFieldsChanged, "Customer", Id(customerId), customerId,
            new Dictionary<string, object?> { ["fields"] = changed }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<CustomFieldView>> ValueFieldsAsync(BlazorVaultDbContext db, CancellationToken cancellationToken)
    {
        var fields = await db.CustomerFields.AsNoTracking().Where(f => f.Type != CustomFieldType.Table).OrderBy(f => f.Order).ThenBy(f => f.Id).ToListAsync(cancellationToken);
        return [.. fields.Select(f => CustomTableService.ToView(f, null)).Select(f => new CustomFieldView(f.Id, f.Order, f.Label, f.Type, f.Required, f.Options ?? [], []))];
    }

    /// <summary>The customer's Access log: reveals, copies and changes of its stored passwords, newest first.</summary>
    public async Task<IReadOnlyList<AuditEventView>> GetAccessLogAsync(int customerId, int take = 100, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await DemandCustomerExistsAsync(db, customerId, cancellationToken);
        var actions = AuditActions.VaultAccess;
        return await db.AuditEvents.AsNoTracking()
            .Where(e => e.CustomerId == customerId && actions.Contains(e.Action))
            .OrderByDescending(e => e.Sequence)
            .Take(Math.Clamp(take, 1, Paging.MaxPageSize))
            .Select(e => new AuditEventView(e.Sequence, e.OccurredAt, e.ActorId, e.ActorName, e.Action, e.TargetType, e.TargetId, e.CustomerId, null, e.IpAddress, e.UserAgent, e.Details))
            .ToListAsync(cancellationToken);
    }

    internal static bool IsVisible(List<CustomVisibility> restriction, int customerId) =>
        restriction.Count == 0 || restriction.Any(v => v.CustomerId == customerId);

    internal static IReadOnlyList<CustomFieldView> VisibleFields(CustomTable table, int customerId) =>
        [.. table.Fields.Where(f => IsVisible(f.Visibility, customerId)).OrderBy(f => f.Order).ThenBy(f => f.Id).Select(CustomTableService.ToView)];

    private static async Task<CustomTable?> LoadTableAsync(BlazorVaultDbContext db, int tableId, CancellationToken cancellationToken) =>
        await db.CustomTables.AsNoTracking().AsSplitQuery()
            .Include(t => t.Visibility)
            .Include(t => t.Fields).ThenInclude(f => f.Visibility)
            .SingleOrDefaultAsync(t => t.Id == tableId, cancellationToken);

    /// <summary>The table and its fields as this customer may see them; a table linked to no customer tab, or hidden for this customer, is not found.</summary>
    private static async Task<(CustomTable Table, IReadOnlyList<CustomFieldView> Fields)> VisibleTableAsync(BlazorVaultDbContext db, int customerId, int tableId, CancellationToken cancellationToken)
    {
        await DemandCustomerExistsAsync(db, customerId, cancellationToken);
        var linked = await db.CustomerFields.AnyAsync(f => f.Type == CustomFieldType.Table && f.LinkedTableId == tableId, cancellationToken);
        var table = linked ? await LoadTableAsync(db, tableId, cancellationToken) : null;
        if (table is null || table.LinkedEntity != CustomEntity.Customer || !IsVisible(table.Visibility, customerId))
        {
            throw new NotFoundException("The table");
        }

        return (table, VisibleFields(table, customerId));
    }

    private static async Task DemandCustomerExistsAsync(BlazorVaultDbContext db, int customerId, CancellationToken cancellationToken)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            throw new NotFoundException("The customer");
        }
    }

    private static async Task ValidateAsync(BlazorVaultDbContext db, int customerId, IReadOnlyList<CustomFieldView> fields, VaultRowInput input, bool isNew, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var key in input.Values.Keys.Where(k => fields.All(f => f.Id != k)))
        {
            errors[Id(key)] = ["This field is not on the table for this customer."];
        }

        foreach (var field in fields)
        {
            var given = input.Values.TryGetValue(field.Id, out var raw);
            var text = field.Type == CustomFieldType.Password ? raw : raw?.Trim();
            var message = field.Type switch
            {
                _ when field.Required && (isNew || given) && string.IsNullOrEmpty(text) && !(field.Type == CustomFieldType.Password && !isNew && raw is null) => $"{field.Label} is required.",
                _ when string.IsNullOrEmpty(text) => null,
                CustomFieldType.Password when text.Length > SettingsService.SecretMaxLength * 8 => $"At most {SettingsService.SecretMaxLength * 8} characters.",
                CustomFieldType.Text when text.Length > 500 || text.Contains('\n', StringComparison.Ordinal) => "One line of at most 500 characters.",
                CustomFieldType.Multiline when text.Length > CustomValue.TextMaxLength => $"At most {CustomValue.TextMaxLength} characters.",
                CustomFieldType.Url when !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || text.Length > 2000 => "Enter a web address starting with http:// or https://.",
                CustomFieldType.Date when !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) => "Enter a date as YYYY-MM-DD.",
                CustomFieldType.Checkbox when text is not ("true" or "false") => "Choose yes or no.",
                CustomFieldType.SingleSelect when !field.Options.Contains(text) => "Choose one of the options.",
                CustomFieldType.User when !await db.Users.AnyAsync(u => u.Id == text && u.CustomerId == customerId, cancellationToken) => "Choose a portal user of this customer.",
                _ => null,
            };
            if (message is not null)
            {
                errors[Id(field.Id)] = [message];
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }

    /// <returns>Labels of the fields that changed (never their values).</returns>
    private async Task<List<string>> ApplyAsync(
        BlazorVaultDbContext db, CustomRow row, List<CustomValue> existing, IReadOnlyList<CustomFieldView> fields, VaultRowInput input, Actor actor, DateTime now, CancellationToken cancellationToken)
    {
        var changed = new List<string>();
        foreach (var field in fields)
        {
            if (!input.Values.TryGetValue(field.Id, out var raw))
            {
                continue;
            }

            var cell = existing.SingleOrDefault(v => v.FieldId == field.Id);
            if (cell is null)
            {
                cell = new CustomValue { RowId = row.Id, FieldId = field.Id };
                existing.Add(cell);
                db.CustomValues.Add(cell);
            }

            if (field.Type == CustomFieldType.Password)
            {
                if (raw is null)
                {
                    continue;
                }

                if (raw.Length == 0)
                {
                    if (await SecretStore.DeleteAsync(db, SlotOf(row.Id, field.Id), cancellationToken))
                    {
                        cell.SecretChangedAt = null;
                        cell.SecretChangedBy = null;
                        changed.Add(field.Label);
                    }

                    continue;
                }

                await secrets.WriteAsync(db, SlotOf(row.Id, field.Id), raw, cancellationToken);
                cell.SecretChangedAt = now;
                cell.SecretChangedBy = actor.Name;
                changed.Add(field.Label);
                continue;
            }

            var text = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
            if (cell.Text != text)
            {
                cell.Text = text;
                cell.SearchText = text?.ToLowerInvariant();
                changed.Add(field.Label);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return changed;
    }

    private static VaultRowView ToView(CustomRow row, List<CustomValue> values, IReadOnlyList<CustomFieldView> fields)
    {
        var texts = new Dictionary<int, string?>();
        var secretCells = new Dictionary<int, SecretCellView>();
        foreach (var field in fields)
        {
            var cell = values.SingleOrDefault(v => v.FieldId == field.Id);
            if (field.Type == CustomFieldType.Password)
            {
                secretCells[field.Id] = new SecretCellView(cell?.SecretChangedAt is not null, cell?.SecretChangedAt, cell?.SecretChangedBy, cell?.LastRevealedAt, cell?.LastRevealedBy);
            }
            else
            {
                texts[field.Id] = cell?.Text;
            }
        }

        return new VaultRowView(row.Id, texts, secretCells, row.UpdatedAt, row.UpdatedBy);
    }

    private static Dictionary<string, object?> Details(CustomTable table, List<string> changed) =>
        new() { ["table"] = table.Name, ["fields"] = changed };

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
