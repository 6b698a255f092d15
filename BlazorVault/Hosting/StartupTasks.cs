using System.Diagnostics;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;

namespace BlazorVault.Hosting;

/// <summary>What every start does before work begins, for the web application and the command-line verbs alike.</summary>
internal static class StartupTasks
{
    /// <returns>True when an interrupted re-wrap should resume.</returns>
    public static async Task<bool> InitializeAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var timings = services.GetRequiredService<StartupTimings>();
        var migrations = Stopwatch.GetTimestamp();
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
        timings.MigrationsMs = StartupTimings.Since(migrations);
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<SystemActorScope>().Enter();
        var keys = Stopwatch.GetTimestamp();
        var resumeRewrap = await scope.ServiceProvider.GetRequiredService<EncryptionInitializer>().InitializeAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<SecondFactorSealing>().SealClearValuesAsync(cancellationToken);
        await services.GetRequiredService<DataProtectionKeyInitializer>().InitializeAsync(cancellationToken);
        timings.EncryptionKeysMs = StartupTimings.Since(keys);
        return resumeRewrap;
    }
}
