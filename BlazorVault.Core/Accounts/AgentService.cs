using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Accounts;

/// <summary>Configuration &gt; Agents: admins list, add, promote, demote, disable and enable agents.</summary>
public sealed class AgentService(
    ICurrentActor currentActor,
    AccountWriter accounts,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
)
{
    public async Task<IReadOnlyList<AgentSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await Agents(db)
            .OrderBy(u => u.DisplayName)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.Email,
                IsAdmin = db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin)),
                u.DisabledAt,
                u.LockoutEnd,
                u.CreatedAt,
            })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return rows.Select(r => new AgentSummary(
                r.Id,
                r.DisplayName,
                r.Email ?? "",
                r.IsAdmin,
                r.DisabledAt is null,
                LockedUntil(r.DisabledAt, r.LockoutEnd, now),
                r.CreatedAt
            ))
            .ToList();
    }

    /// <summary>A lockout after failed sign-ins, as opposed to a disabled account.</summary>
    internal static DateTime? LockedUntil(DateTime? disabledAt, DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        disabledAt is null && lockoutEnd is { } end && end > now ? end.UtcDateTime : null;

    public async Task<string> CreateAsync(NewAccountInput input, bool isAdmin, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        return await accounts.CreateAsync(
            input,
            isAdmin ? [Roles.Agent, Roles.Admin] : [Roles.Agent],
            customerId: null,
            null,
            cancellationToken,
            welcome: true
        );
    }

    public async Task UpdateAsync(string userId, AccountDetailsInput input, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await RequireAgentAsync(userId, cancellationToken);
        await accounts.UpdateDetailsAsync(userId, input, cancellationToken);
    }

    public async Task SetAdminAsync(string userId, bool isAdmin, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        await RequireAgentAsync(userId, cancellationToken);
        if (!isAdmin)
        {
            GuardSelf(actor, userId, "remove the administrator role from");
        }

        await accounts.SetRoleAsync(userId, Roles.Agent, true, null, cancellationToken);
        await accounts.SetRoleAsync(
            userId,
            Roles.Admin,
            isAdmin,
            isAdmin ? null : db => GuardLastAdminAsync(db, userId, "remove the administrator role from", cancellationToken),
            cancellationToken
        );
    }

    public async Task SetEnabledAsync(string userId, bool enabled, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        await RequireAgentAsync(userId, cancellationToken);
        if (!enabled)
        {
            GuardSelf(actor, userId, "disable");
        }

        await accounts.SetEnabledAsync(
            userId,
            enabled,
            enabled ? null : db => GuardLastAdminAsync(db, userId, "disable", cancellationToken),
            cancellationToken
        );
    }

    internal static IQueryable<ApplicationUser> Agents(BlazorVaultDbContext db) =>
        db
            .Users.AsNoTracking()
            .Where(u =>
                db.UserRoles.Any(ur =>
                    ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == Roles.Agent || r.Name == Roles.Admin))
                )
            );

    private async Task RequireAgentAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await Agents(db).AnyAsync(u => u.Id == userId, cancellationToken))
        {
            throw new NotFoundException("The agent");
        }
    }

    /// <summary>Nobody may lock themselves out.</summary>
    private static void GuardSelf(Actor actor, string userId, string what)
    {
        if (userId == actor.UserId)
        {
            throw new ValidationFailedException("", $"You cannot {what} your own account.");
        }
    }

    /// <summary>The installation always keeps one enabled administrator; runs inside the change's transaction.</summary>
    private static async Task GuardLastAdminAsync(BlazorVaultDbContext db, string userId, string what, CancellationToken cancellationToken)
    {
        var others = await db.Users.CountAsync(
            u =>
                u.Id != userId
                && u.DisabledAt == null
                && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin)),
            cancellationToken
        );
        if (others == 0)
        {
            throw new ValidationFailedException("", $"You cannot {what} the last enabled administrator.");
        }
    }
}
