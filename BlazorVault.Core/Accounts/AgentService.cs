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
    TimeProvider time)
{
    public async Task<IReadOnlyList<AgentSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Users.AsNoTracking()
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == Roles.Agent || r.Name == Roles.Admin))))
            .OrderBy(u => u.DisplayName)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.Email,
                IsAdmin = db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin)),
                u.LockoutEnd,
                u.CreatedAt,
            })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return rows.Select(r => new AgentSummary(r.Id, r.DisplayName, r.Email ?? "", r.IsAdmin, r.LockoutEnd is null || r.LockoutEnd <= now, r.CreatedAt)).ToList();
    }

    public async Task<string> CreateAsync(NewAccountInput input, bool isAdmin, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        return await accounts.CreateAsync(input, isAdmin ? [Roles.Agent, Roles.Admin] : [Roles.Agent], customerId: null, null, cancellationToken);
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
            await GuardLastAdminAsync(actor, userId, "remove the administrator role from", cancellationToken);
        }

        await accounts.SetRoleAsync(userId, Roles.Agent, true, cancellationToken);
        await accounts.SetRoleAsync(userId, Roles.Admin, isAdmin, cancellationToken);
    }

    public async Task SetEnabledAsync(string userId, bool enabled, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        await RequireAgentAsync(userId, cancellationToken);
        if (!enabled)
        {
            await GuardLastAdminAsync(actor, userId, "disable", cancellationToken);
        }

        await accounts.SetEnabledAsync(userId, enabled, cancellationToken);
    }

    private async Task RequireAgentAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var isAgent = await db.UserRoles.AnyAsync(
            ur => ur.UserId == userId && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == Roles.Agent || r.Name == Roles.Admin)),
            cancellationToken);
        if (!isAgent)
        {
            throw new NotFoundException("The agent");
        }
    }

    /// <summary>Nobody may lock themselves out, and the installation always keeps one enabled administrator.</summary>
    private async Task GuardLastAdminAsync(Actor actor, string userId, string what, CancellationToken cancellationToken)
    {
        if (userId == actor.UserId)
        {
            throw new ValidationFailedException("", $"You cannot {what} your own account.");
        }

        var admins = (await ListAsync(cancellationToken)).Where(a => a.IsAdmin && a.IsEnabled).Select(a => a.Id).ToList();
        if (admins.Count == 1 && admins[0] == userId)
        {
            throw new ValidationFailedException("", $"You cannot {what} the last enabled administrator.");
        }
    }
}
