using BlazorVault.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// Whether first-run setup is still open. Completion is permanent, so once seen it is cached; until then every
/// check reads the database, which also notices an admin created by the command line while the server runs.
/// </summary>
public sealed class SetupState(IDbContextFactory<BlazorVaultDbContext> contextFactory)
{
    private volatile bool _completed;

    public async ValueTask<bool> IsSetupRequiredAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            return false;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        _completed = await db.InstallationStates.AnyAsync(cancellationToken);
        return !_completed;
    }

    internal void MarkCompleted() => _completed = true;
}
