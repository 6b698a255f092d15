using BlazorVault.Core.Access;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Customers;

/// <summary>A customer's portal users, managed by agents from the customer's Users tab.</summary>
public sealed class PortalUserService(
    ICurrentActor currentActor,
    AccountWriter accounts,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
)
{
    public async Task<IReadOnlyList<PortalUserSummary>> ListAsync(
        int customerId,
        bool enabledOnly = false,
        CancellationToken cancellationToken = default
    )
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await RequireCustomerAsync(db, actor, customerId, cancellationToken);
        var rows = await PortalUsers(db, customerId)
            .OrderBy(u => u.DisplayName)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.Email,
                u.DisabledAt,
                u.LockoutEnd,
                u.CreatedAt,
            })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return rows.Select(r => new PortalUserSummary(
                r.Id,
                r.DisplayName,
                r.Email ?? "",
                r.DisabledAt is null,
                AgentService.LockedUntil(r.DisabledAt, r.LockoutEnd, now),
                r.CreatedAt
            ))
            .Where(u => !enabledOnly || u.IsEnabled)
            .ToList();
    }

    public async Task<string> CreateAsync(int customerId, NewAccountInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await RequireCustomerAsync(db, actor, customerId, cancellationToken);
        }

        return await accounts.CreateAsync(input, [Roles.PortalUser], customerId, null, cancellationToken, welcome: true);
    }

    public async Task UpdateAsync(int customerId, string userId, AccountDetailsInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await RequirePortalUserAsync(actor, customerId, userId, cancellationToken);
        await accounts.UpdateDetailsAsync(userId, input, cancellationToken);
    }

    public async Task SetEnabledAsync(int customerId, string userId, bool enabled, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await RequirePortalUserAsync(actor, customerId, userId, cancellationToken);
        await accounts.SetEnabledAsync(userId, enabled, guard: null, cancellationToken);
    }

    internal static IQueryable<Accounts.Entities.ApplicationUser> PortalUsers(BlazorVaultDbContext db, int customerId) =>
        db
            .Users.AsNoTracking()
            .Where(u =>
                u.CustomerId == customerId
                && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.PortalUser))
            );

    private async Task RequirePortalUserAsync(Actor actor, int customerId, string userId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await RequireCustomerAsync(db, actor, customerId, cancellationToken);
        if (!await PortalUsers(db, customerId).AnyAsync(u => u.Id == userId, cancellationToken))
        {
            throw new NotFoundException("The portal user");
        }
    }

    /// <summary>The customer exists and the agent's groups cover it; otherwise not found.</summary>
    private static async Task RequireCustomerAsync(
        BlazorVaultDbContext db,
        Actor actor,
        int customerId,
        CancellationToken cancellationToken
    )
    {
        if (!await db.Customers.Where(c => c.Id == customerId).InScope(db, actor, c => c.Id).AnyAsync(cancellationToken))
        {
            throw new NotFoundException("The customer");
        }
    }
}
