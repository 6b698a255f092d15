using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Accounts;

/// <summary>Creates administrators: the one-time first-run page, and the <c>create-admin</c> command.</summary>
public sealed class SetupService(
    AccountWriter accounts,
    SetupState state,
    ICurrentActor currentActor,
    IAuditLog audit,
    TimeProvider time,
    ILogger<SetupService> logger
)
{
    public const string SetupAlreadyCompleted = "Setup has already been completed. Sign in instead.";

    /// <summary>
    /// The only anonymous write in the application: allowed while no installation-state row exists, and the
    /// row is inserted in the same transaction, so of two racing requests exactly one creates an admin.
    /// </summary>
    public async Task<string> CreateFirstAdminAsync(NewAccountInput input, CancellationToken cancellationToken = default)
    {
        if (!await state.IsSetupRequiredAsync(cancellationToken))
        {
            throw new AccessDeniedException(SetupAlreadyCompleted);
        }

        try
        {
            var id = await accounts.CreateAsync(
                input,
                [Roles.Admin],
                customerId: null,
                async (db, user) =>
                {
                    if (await db.InstallationStates.AnyAsync(cancellationToken))
                    {
                        throw new AccessDeniedException(SetupAlreadyCompleted);
                    }

                    db.InstallationStates.Add(InstallationState.Completed(time.GetUtcNow().UtcDateTime, user.Id));
                    await db.SaveChangesAsync(cancellationToken);
                    await audit.AppendAsync(
                        db,
                        new AuditEntry(AuditActions.SetupCompleted, "User", user.Id, Actor: Self(user)),
                        cancellationToken
                    );
                },
                cancellationToken,
                createdBy: Self
            );
            state.MarkCompleted();
            logger.LogInformation("First-run setup completed by {UserId}", id);
            return id;
        }
        catch (DbUpdateException)
        {
            // The installation-state row was inserted by a concurrent request between our check and our insert.
            throw new AccessDeniedException(SetupAlreadyCompleted);
        }
    }

    /// <summary>
    /// Creates an administrator from the command line (operators with shell access), whether or not setup is
    /// complete, and completes setup if it was still open. Only the application itself may call it.
    /// </summary>
    public async Task<string> CreateAdminAsync(NewAccountInput input, CancellationToken cancellationToken = default)
    {
        if (!(await currentActor.GetAsync(cancellationToken)).IsSystem)
        {
            throw new AccessDeniedException("Administrators are created with the create-admin command on the server.");
        }

        var id = await accounts.CreateAsync(
            input,
            [Roles.Admin],
            customerId: null,
            async (db, user) =>
            {
                if (!await db.InstallationStates.AnyAsync(cancellationToken))
                {
                    db.InstallationStates.Add(InstallationState.Completed(time.GetUtcNow().UtcDateTime, user.Id));
                    await db.SaveChangesAsync(cancellationToken);
                    await audit.AppendAsync(db, new AuditEntry(AuditActions.SetupCompleted, "User", user.Id), cancellationToken);
                }
            },
            cancellationToken
        );
        state.MarkCompleted();
        return id;
    }

    /// <summary>At first-run setup nobody is signed in yet: the new administrator is the actor.</summary>
    private static AuditActorOverride Self(ApplicationUser user) => new(user.Id, user.DisplayName);
}
