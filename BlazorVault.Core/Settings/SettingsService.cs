using System.Reflection;
using System.Text.Json;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings.Entities;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Settings;

/// <summary>
/// Reads settings (cached; every reader gets its own copy, which remembers the section's version) and saves them:
/// administrators only, validated first, refused when based on a version someone else has changed since, audited with old
/// and new values in the same transaction, then announced to every open page.
/// </summary>
public sealed class SettingsService(
    ICurrentActor currentActor,
    IAuditLog audit,
    SettingsCache cache,
    ISettingsChangeNotifier notifier,
    SecretStore secrets,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
)
{
    public const int SecretMaxLength = 512;

    public static string KeyOf<T>()
        where T : SettingsSection => KeyOf(typeof(T));

    public static string KeyOf(Type section) =>
        section.GetCustomAttribute<SettingsSectionAttribute>()?.Key
        ?? throw new InvalidOperationException($"{section.Name} has no [SettingsSection].");

    /// <summary>The section's current values (defaults when never saved), as a copy the caller may edit and save.</summary>
    public async Task<T> GetAsync<T>(CancellationToken cancellationToken = default)
        where T : SettingsSection, new()
    {
        return ValuesOf<T>(await cache.GetAsync(KeyOf<T>(), LoadAsync, cancellationToken));
    }

    /// <summary>
    /// Saves the section's values and, in the same transaction, any secret given a new value in <paramref name="newSecrets"/>
    /// (by secret name; empty values are ignored). A secret whose <see cref="SecretSettingAttribute.BoundTo"/> settings change
    /// without a new value is removed. Audited: values with old and new, secrets as "set", "changed" or "removed" (with the
    /// settings that removed it), never their value. On success <paramref name="values"/> carries the new version.
    /// </summary>
    /// <exception cref="SettingsConflictException">The section changed since <paramref name="values"/> was read.</exception>
    public async Task SaveAsync<T>(
        T values,
        IReadOnlyDictionary<string, string?>? newSecrets = null,
        CancellationToken cancellationToken = default
    )
        where T : SettingsSection, new()
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        Normalize(values);
        var typedSecrets = (newSecrets ?? new Dictionary<string, string?>())
            .Where(s => !string.IsNullOrEmpty(s.Value))
            .ToDictionary(s => s.Key, s => s.Value!);
        var errors = new Dictionary<string, string>();
        values.Validate(errors);
        foreach (var (name, value) in typedSecrets)
        {
            if (value.Length > SecretMaxLength)
            {
                errors[name] = $"At most {SecretMaxLength} characters.";
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
        }

        var key = KeyOf<T>();
        var json = JsonSerializer.Serialize(values);
        long version;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var stored = await ReadForChangeAsync<T>(db, key, values.Version, cancellationToken);
            var changes = Diff(stored.Values, values);
            var unbound = SecretsOf<T>()
                .Where(secret => !typedSecrets.ContainsKey(secret.Name))
                .Select(secret => (secret.Name, Because: BindingsChanged(secret, stored.Values, values)))
                .Where(secret => secret.Because.Count > 0)
                .ToList();
            if (changes.Count == 0 && typedSecrets.Count == 0)
            {
                return;
            }

            version = await AdvanceVersionAsync(db, stored, json, actor, cancellationToken);
            if (changes.Count > 0)
            {
                await audit.AppendAsync(
                    db,
                    new AuditEntry(
                        AuditActions.SettingsChanged,
                        "Settings",
                        key,
                        Details: new Dictionary<string, object?> { ["changes"] = changes }
                    ),
                    cancellationToken
                );
            }

            foreach (var (name, value) in typedSecrets)
            {
                var change = await secrets.WriteAsync(db, SecretSlotOf<T>(name), value, cancellationToken) ? "changed" : "set";
                await AuditSecretAsync(db, key, name, change, cancellationToken);
            }

            foreach (var (name, because) in unbound)
            {
                if (await SecretStore.DeleteAsync(db, SecretSlotOf<T>(name), cancellationToken))
                {
                    await AuditSecretAsync(db, key, name, "removed", cancellationToken, because);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        values.Version = version;
        cache.Publish(key, new StoredSection(json, version));
        await notifier.PublishAsync(new SettingsChange(key, version), cancellationToken);
    }

    public static IReadOnlyList<SecretSettingAttribute> SecretsOf<T>()
        where T : SettingsSection => [.. typeof(T).GetCustomAttributes<SecretSettingAttribute>()];

    /// <summary>Whether the secret setting has a value; the value itself never leaves Core through this service.</summary>
    public async Task<bool> IsSecretSetAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : SettingsSection
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        return await secrets.ExistsAsync(SecretSlotOf<T>(name), cancellationToken);
    }

    /// <summary>
    /// Removes the secret's stored value, a change of the section like a save: refused when the section changed since
    /// <paramref name="basedOn"/> was read, which then carries the new version. Audited as "removed".
    /// </summary>
    /// <exception cref="SettingsConflictException">The section changed since <paramref name="basedOn"/> was read.</exception>
    public async Task RemoveSecretAsync<T>(T basedOn, string name, CancellationToken cancellationToken = default)
        where T : SettingsSection, new()
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        var slot = SecretSlotOf<T>(name);
        var key = KeyOf<T>();
        StoredValues<T> stored;
        long version;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            stored = await ReadForChangeAsync<T>(db, key, basedOn.Version, cancellationToken);
            if (!await SecretStore.DeleteAsync(db, slot, cancellationToken))
            {
                return;
            }

            version = await AdvanceVersionAsync(db, stored, stored.Json, actor, cancellationToken);
            await AuditSecretAsync(db, key, name, "removed", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        basedOn.Version = version;
        cache.Publish(key, new StoredSection(stored.Json, version));
        await notifier.PublishAsync(new SettingsChange(key, version), cancellationToken);
    }

    /// <summary>
    /// The section's values with a secret's decrypted value (null when not set), for Core's own use (the mailer signing in to
    /// SMTP). Both come from the database at one version of the section, never the cache, so a secret is only ever used with
    /// the values it was saved with: the SMTP password only with its server.
    /// </summary>
    internal async Task<(T Values, string? Secret)> ReadWithSecretAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : SettingsSection, new()
    {
        var slot = SecretSlotOf<T>(name);
        var key = KeyOf<T>();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        while (true)
        {
            var stored = await LoadAsync(db, key, cancellationToken);
            var secret = await secrets.ReadAsync(db, slot, cancellationToken);

            // A secret changes only with its section's version: the same version after reading it proves they belong together.
            var version = await db.Settings.Where(s => s.Section == key).Select(s => s.Version).SingleOrDefaultAsync(cancellationToken);
            if (version == stored.Version)
            {
                return (ValuesOf<T>(stored), secret);
            }
        }
    }

    private static SecretSlot SecretSlotOf<T>(string name)
        where T : SettingsSection =>
        SecretsOf<T>().Any(s => s.Name == name)
            ? new SecretSlot("settings", KeyOf<T>(), name)
            : throw new ArgumentException($"{typeof(T).Name} has no secret setting '{name}'.", nameof(name));

    /// <summary>
    /// The settings among the secret's <see cref="SecretSettingAttribute.BoundTo"/> that differ between the two copies: saving
    /// such a change without a new value for the secret removes it.
    /// </summary>
    public static IReadOnlyList<string> BindingsChanged<T>(SecretSettingAttribute secret, T before, T after)
        where T : SettingsSection =>
        [
            .. secret.BoundTo.Where(name =>
                !Equals(typeof(T).GetProperty(name)!.GetValue(before), typeof(T).GetProperty(name)!.GetValue(after))
            ),
        ];

    private Task AuditSecretAsync(
        BlazorVaultDbContext db,
        string key,
        string name,
        string change,
        CancellationToken cancellationToken,
        IReadOnlyList<string>? because = null
    )
    {
        var details = new Dictionary<string, object?> { ["secret"] = name, ["change"] = change };
        if (because is not null)
        {
            details["because"] = because;
        }

        return audit.AppendAsync(db, new AuditEntry(AuditActions.SettingsChanged, "Settings", key, Details: details), cancellationToken);
    }

    /// <summary>Old and new value of each changed setting. Secret settings never reach here (see EmailSettings).</summary>
    private static Dictionary<string, object?[]> Diff<T>(T old, T current) =>
        typeof(T)
            .GetProperties()
            .Where(p => p.GetCustomAttribute<SettingAttribute>() is not null)
            .Select(p => (p.Name, Old: p.GetValue(old), New: p.GetValue(current)))
            .Where(c => !Equals(c.Old, c.New))
            .ToDictionary(c => c.Name, c => new[] { Display(c.Old), Display(c.New) });

    private static object? Display(object? value) => value is Enum e ? e.ToString() : value;

    /// <summary>Trims text settings (unless whitespace matters in them) and turns blanks into "not set".</summary>
    private static void Normalize<T>(T values)
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.PropertyType == typeof(string) && p.CanWrite))
        {
            var raw = property.GetValue(values) as string;
            var text =
                property.GetCustomAttribute<SettingAttribute>()?.KeepWhitespace == true && !string.IsNullOrWhiteSpace(raw)
                    ? raw
                    : raw?.Trim();
            var nullable = new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable;
            property.SetValue(values, string.IsNullOrEmpty(text) && nullable ? null : text ?? "");
        }
    }

    /// <summary>
    /// The section as stored, within the change's transaction and locked to its end (see <see cref="RowLocks"/>), so a second
    /// change based on the same version waits for the first and is then refused here, as on SQLite; refuses a change based
    /// on any other version.
    /// </summary>
    private static async Task<StoredValues<T>> ReadForChangeAsync<T>(
        BlazorVaultDbContext db,
        string key,
        long basedOn,
        CancellationToken cancellationToken
    )
        where T : SettingsSection, new()
    {
        await RowLocks.SettingsSectionAsync(db, key, cancellationToken);
        var row = await db
            .Settings.AsNoTracking()
            .Where(s => s.Section == key)
            .Select(s => new { s.Json, s.Version })
            .SingleOrDefaultAsync(cancellationToken);
        if ((row?.Version ?? 0) != basedOn)
        {
            throw new SettingsConflictException();
        }

        var json = row?.Json ?? JsonSerializer.Serialize(new T());
        return new StoredValues<T>(key, JsonSerializer.Deserialize<T>(json) ?? new T(), json, row is not null, basedOn);
    }

    /// <summary>
    /// Moves the section to its next version with <paramref name="json"/> as its values. The update is conditional on the
    /// version the change was based on, so that of two changes based on one version exactly one succeeds, whatever the
    /// database's isolation (PostgreSQL's Read Committed re-checks the condition after waiting for the other writer).
    /// </summary>
    private async Task<long> AdvanceVersionAsync<T>(
        BlazorVaultDbContext db,
        StoredValues<T> stored,
        string json,
        Actor actor,
        CancellationToken cancellationToken
    )
    {
        var version = stored.Version + 1;
        var now = time.GetUtcNow().UtcDateTime;
        if (stored.Exists)
        {
            var updated = await db
                .Settings.Where(s => s.Section == stored.Key && s.Version == stored.Version)
                .ExecuteUpdateAsync(
                    s =>
                        s.SetProperty(x => x.Json, json)
                            .SetProperty(x => x.Version, version)
                            .SetProperty(x => x.UpdatedAt, now)
                            .SetProperty(x => x.UpdatedBy, actor.Name),
                    cancellationToken
                );
            return updated == 1 ? version : throw new SettingsConflictException();
        }

        db.Settings.Add(
            new SettingsEntry
            {
                Section = stored.Key,
                Json = json,
                Version = version,
                UpdatedAt = now,
                UpdatedBy = actor.Name,
            }
        );
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The section's first save: failing to insert its row means another first save inserted it meanwhile, unless
            // the row is still missing (then it is some other failure).
            await using var check = await contextFactory.CreateDbContextAsync(cancellationToken);
            if (await check.Settings.AnyAsync(s => s.Section == stored.Key, cancellationToken))
            {
                throw new SettingsConflictException();
            }

            throw;
        }

        return version;
    }

    private static T ValuesOf<T>(StoredSection stored)
        where T : SettingsSection, new()
    {
        var values = stored.Json is null ? new T() : JsonSerializer.Deserialize<T>(stored.Json) ?? new T();
        values.Version = stored.Version;
        return values;
    }

    private async Task<StoredSection> LoadAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await LoadAsync(db, key, cancellationToken);
    }

    private static async Task<StoredSection> LoadAsync(BlazorVaultDbContext db, string key, CancellationToken cancellationToken)
    {
        var row = await db
            .Settings.AsNoTracking()
            .Where(s => s.Section == key)
            .Select(s => new StoredSection(s.Json, s.Version))
            .SingleOrDefaultAsync(cancellationToken);
        return row ?? new StoredSection(null, 0);
    }

    private sealed record StoredValues<T>(string Key, T Values, string Json, bool Exists, long Version);
}
