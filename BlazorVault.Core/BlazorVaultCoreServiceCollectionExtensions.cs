using BlazorVault.Core.Access;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Cluster;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Customers;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.Jobs;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core;

public static class BlazorVaultCoreServiceCollectionExtensions
{
    /// <summary>
    /// Every Core feature, composed once for the web host, the test host and the benchmark host. The caller adds
    /// what differs between them: the clock, logging, Data Protection, the job scheduler and the current actor.
    /// </summary>
    /// <param name="keyRing">Loaded by the caller at start-up (<see cref="KeyRingLoader"/>), so a bad certificate stops the start.</param>
    /// <param name="cluster">The <c>Cluster</c> section; none names the node after the machine (and its port, once it listens).</param>
    public static IServiceCollection AddBlazorVaultCore(
        this IServiceCollection services,
        StoragePaths paths,
        KeyRing keyRing,
        ClusterOptions? cluster = null
    ) =>
        services
            .AddPersistence(paths)
            .AddCluster(cluster ?? new ClusterOptions())
            .AddAudit()
            .AddSettings(paths)
            .AddCrypto(keyRing)
            .AddAccounts()
            .AddNotifications()
            .AddCustomers()
            .AddCustomObjects()
            .AddAccess()
            .AddSecureMessages()
            .AddTickets()
            .AddJobs();
}
