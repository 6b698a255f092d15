using System.Security.Claims;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Accounts;

/// <summary>Turns a signed-in principal into an <see cref="Actor"/> read from the database on every call.</summary>
public sealed class ActorResolver(IDbContextFactory<BlazorVaultDbContext> contextFactory, TimeProvider time)
{
    public async Task<Actor> ResolveAsync(ClaimsPrincipal? principal, CancellationToken cancellationToken = default)
    {
        var userId = principal?.Identity?.IsAuthenticated == true ? principal.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        return userId is null ? Actor.Anonymous : await ResolveAsync(userId, cancellationToken);
    }

    public async Task<Actor> ResolveAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.CustomerId, u.LockoutEnd })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null || (user.LockoutEnd is { } end && end > time.GetUtcNow()))
        {
            return Actor.Anonymous;
        }

        var roles = await db.UserRoles.AsNoTracking()
            .Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);

        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.Id : user.DisplayName;
        return new Actor(user.Id, name, roles.ToHashSet(StringComparer.Ordinal), user.CustomerId);
    }
}
