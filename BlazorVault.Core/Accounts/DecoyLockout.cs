using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// Failed password sign-ins for a name that no account can sign in with (there is none, or it is disabled), counted
/// and locked out as Identity does for a real account: locked by the same number of failures, for the same time, and
/// counted afresh afterwards. So from outside, an unknown or disabled name answers like a real one.
/// </summary>
/// <remarks>
/// Kept in memory, so a restart forgets the counts (and each node of a scale-out keeps its own), keyed by a SHA-256
/// of the normalized name, because what is typed as an email is sometimes a password. At most
/// <see cref="Capacity"/> names are kept: when full, names whose count no longer matters go first, then the quarter
/// that failed longest ago.
/// </remarks>
public sealed class DecoyLockout(IOptions<IdentityOptions> identityOptions, TimeProvider time)
{
    public const int Capacity = 100_000;

    private readonly Dictionary<string, Entry> _names = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>How many names are kept now.</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _names.Count;
            }
        }
    }

    /// <summary>Whether the name is locked out now, as Identity answers before it counts anything.</summary>
    public bool IsLockedOut(string normalizedName)
    {
        lock (_gate)
        {
            return _names.TryGetValue(Key(normalizedName), out var entry) && entry.LockoutEnd >= time.GetUtcNow();
        }
    }

    /// <summary>Counts a failed sign-in for the name.</summary>
    /// <returns>Whether the name is locked out: already (then nothing is counted), or from this failure on.</returns>
    public bool Fail(string normalizedName)
    {
        var lockout = identityOptions.Value.Lockout;
        var key = Key(normalizedName);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            _names.TryGetValue(key, out var entry);
            if (entry.LockoutEnd >= now)
            {
                return true;
            }

            var failures = entry.Failures + 1;
            var lockedOut = failures >= lockout.MaxFailedAccessAttempts;
            if (!_names.ContainsKey(key) && _names.Count >= Capacity)
            {
                MakeRoom(now);
            }

            // As Identity's AccessFailedAsync: the failure that reaches the limit locks, and the count starts again.
            _names[key] = lockedOut
                ? new Entry(0, now + lockout.DefaultLockoutTimeSpan, now)
                : entry with
                {
                    Failures = failures,
                    LastFailure = now,
                };
            return lockedOut;
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        var forgotten = _names.Where(n => n.Value.Failures == 0 && n.Value.LockoutEnd < now).Select(n => n.Key).ToList();
        if (_names.Count - forgotten.Count >= Capacity)
        {
            forgotten.AddRange(_names.OrderBy(n => n.Value.LastFailure).Take(Capacity / 4).Select(n => n.Key));
        }

        foreach (var key in forgotten)
        {
            _names.Remove(key);
        }
    }

    private static string Key(string normalizedName) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedName)));

    private readonly record struct Entry(int Failures, DateTimeOffset LockoutEnd, DateTimeOffset LastFailure);
}
