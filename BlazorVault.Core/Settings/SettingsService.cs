using System.Collections.Concurrent;
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
/// Reads settings (cached; every reader gets its own copy) and saves them: administrators only, validated first,
/// audited with old and new values in the same transaction, then announced to every open page.
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
        where T : ISettingsSection => KeyOf(typeof(T));

    public static string KeyOf(Type section) =>
        section.GetCustomAttribute<SettingsSectionAttribute>()?.Key
        ?? throw new InvalidOperationException($"{section.Name} has no [SettingsSection].");

    /// <summary>The section's current values (defaults when never saved), as a copy the caller may edit.</summary>
    public async Task<T> GetAsync<T>(CancellationToken cancellationToken = default)
        where T : class, ISettingsSection, new()
    {
        var json = await cache.GetJsonAsync(KeyOf<T>(), LoadAsync, cancellationToken);
        return json is null ? new T() : JsonSerializer.Deserialize<T>(json) ?? new T();
    }

    /// <summary>
    /// Saves the section's values and, in the same transaction, any secret given a new value in <paramref name="newSecrets"/>
    /// (by secret name; empty values are ignored). A secret whose <see cref="SecretSettingAttribute.BoundTo"/> settings change
    /// without a new value is removed. Audited: values with old and new, secrets as "set", "changed" or "removed" (with the
    /// settings that removed it), never their value.
    /// </summary>
    public async Task SaveAsync<T>(
        T values,
        IReadOnlyDictionary<string, string?>? newSecrets = null,
        CancellationToken cancellationToken = default
    )
        where T : class, ISettingsSection, new()
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
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var entry = await db.Settings.SingleOrDefaultAsync(s => s.Section == key, cancellationToken);
            var old = entry is null ? new T() : JsonSerializer.Deserialize<T>(entry.Json) ?? new T();
            var changes = Diff(old, values);
            var unbound = SecretsOf<T>()
                .Where(secret => !typedSecrets.ContainsKey(secret.Name))
                .Select(secret => (secret.Name, Because: BindingsChanged(secret, old, values)))
                .Where(secret => secret.Because.Count > 0)
                .ToList();
            if (changes.Count == 0 && typedSecrets.Count == 0)
            {
                return;
            }

            if (changes.Count > 0)
            {
                if (entry is null)
                {
                    entry = new SettingsEntry { Section = key };
                    db.Settings.Add(entry);
                }

                entry.Json = JsonSerializer.Serialize(values);
                entry.UpdatedAt = time.GetUtcNow().UtcDateTime;
                entry.UpdatedBy = actor.Name;
                await db.SaveChangesAsync(cancellationToken);
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

        cache.Invalidate(key);
        await notifier.PublishAsync(key, cancellationToken);
    }

    public static IReadOnlyList<SecretSettingAttribute> SecretsOf<T>()
        where T : ISettingsSection => [.. typeof(T).GetCustomAttributes<SecretSettingAttribute>()];

    /// <summary>Whether the secret setting has a value; the value itself never leaves Core through this service.</summary>
    public async Task<bool> IsSecretSetAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : ISettingsSection
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        return await secrets.ExistsAsync(SecretSlotOf<T>(name), cancellationToken);
    }

    /// <summary>Removes the secret's stored value; audited as "removed".</summary>
    public async Task RemoveSecretAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : ISettingsSection
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        var slot = SecretSlotOf<T>(name);
        var key = KeyOf<T>();
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await SecretStore.DeleteAsync(db, slot, cancellationToken))
            {
                return;
            }

            await AuditSecretAsync(db, key, name, "removed", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await notifier.PublishAsync(key, cancellationToken);
    }

    /// <summary>The decrypted secret for Core's own use (the mailer signing in to SMTP); null when not set.</summary>
    internal Task<string?> RevealSecretAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : ISettingsSection => secrets.ReadAsync(SecretSlotOf<T>(name), cancellationToken);

    private static SecretSlot SecretSlotOf<T>(string name)
        where T : ISettingsSection =>
        SecretsOf<T>().Any(s => s.Name == name)
            ? new SecretSlot("settings", KeyOf<T>(), name)
            : throw new ArgumentException($"{typeof(T).Name} has no secret setting '{name}'.", nameof(name));

    /// <summary>
    /// The settings among the secret's <see cref="SecretSettingAttribute.BoundTo"/> that differ between the two copies: saving
    /// such a change without a new value for the secret removes it.
    /// </summary>
    public static IReadOnlyList<string> BindingsChanged<T>(SecretSettingAttribute secret, T before, T after)
        where T : ISettingsSection =>
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

    private async Task<string?> LoadAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Settings.AsNoTracking().Where(s => s.Section == key).Select(s => s.Json).SingleOrDefaultAsync(cancellationToken);
    }
}

/// <summary>
/// Settings JSON by section, shared by every circuit. A section is dropped whenever a change is announced, so a
/// change saved on another node (once the notifier spans nodes) is read afresh here too.
/// </summary>
public sealed class SettingsCache : IDisposable
{
    private readonly ConcurrentDictionary<string, string?> _json = new();
    private readonly IDisposable _subscription;

    public SettingsCache(ISettingsChangeNotifier notifier) =>
        _subscription = notifier.Subscribe(key =>
        {
            Invalidate(key);
            return Task.CompletedTask;
        });

    public void Dispose() => _subscription.Dispose();

    internal async Task<string?> GetJsonAsync(
        string key,
        Func<string, CancellationToken, Task<string?>> load,
        CancellationToken cancellationToken
    )
    {
        if (_json.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var json = await load(key, cancellationToken);
        _json[key] = json;
        return json;
    }

    internal void Invalidate(string key) => _json.TryRemove(key, out _);
}
