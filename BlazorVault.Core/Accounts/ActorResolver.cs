using System.Security.Claims;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorVault.Core.Accounts;

/// <summary>Turns a signed-in principal into an <see cref="Actor"/> read from the database on every call.</summary>
/// <remarks>
/// A signed-in principal also carries the security stamp it was issued with: a password change, a role change or
/// disabling the account rotates the stamp in the database, and from then on the old sessions act as nobody.
/// A lockout after failed sign-ins does not end sessions, or anyone knowing an email could sign its owner out.
/// </remarks>
public sealed class ActorResolver(IDbContextFactory<BlazorVaultDbContext> contextFactory, IOptions<IdentityOptions> identityOptions)
{
    public async Task<Actor> ResolveAsync(ClaimsPrincipal? principal, CancellationToken cancellationToken = default)
    {
        if (principal?.Identity?.IsAuthenticated != true || principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return Actor.Anonymous;
        }

        var stamp = principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp is null ? Actor.Anonymous : await ResolveAsync(userId, stamp, cancellationToken);
    }

    /// <summary>Resolves a user by id without a session to check (command line, jobs, tests).</summary>
    public Task<Actor> ResolveAsync(string userId, CancellationToken cancellationToken = default) =>
        ResolveAsync(userId, expectedStamp: null, cancellationToken);

    private async Task<Actor> ResolveAsync(string userId, string? expectedStamp, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var user = await db
            .Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.Email,
                u.CustomerId,
                u.DisabledAt,
                u.SecurityStamp,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null || user.DisabledAt is not null || (expectedStamp is not null && expectedStamp != user.SecurityStamp))
        {
            return Actor.Anonymous;
        }

        var roles = await db
            .UserRoles.AsNoTracking()
            .Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);

        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.Id : user.DisplayName;
        return new Actor(user.Id, name, roles.ToHashSet(StringComparer.Ordinal), user.CustomerId);
    }
}
