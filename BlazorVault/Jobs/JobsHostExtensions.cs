using BlazorVault.Core.Access;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Jobs;
using BlazorVault.Core.Jobs.Models;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.SecureMessages;
using Npgsql;
using Quartz;

namespace BlazorVault.Jobs;

/// <summary>
/// Every scheduled job, registered in this one place. One node (SQLite) keeps Quartz's in-memory store; many nodes
/// (PostgreSQL) share Quartz's clustered AdoJobStore in the same database, whose tables the PostgreSQL migrations create.
/// </summary>
/// <remarks>
/// In the cluster each firing runs on one node: the nodes take a row lock to acquire a trigger, and a job marked
/// <see cref="DisallowConcurrentExecutionAttribute"/> waits while it runs on any node. A node checks in every
/// <see cref="CheckinInterval"/>; one that has missed its check-in by <see cref="CheckinMisfireThreshold"/> is taken for
/// dead, and the jobs it was running that request recovery run again on another node (the re-wrap carries on from the
/// rows its committed batches left behind). The threshold is a trade: a node paused longer than that (a long garbage
/// collection, a database failover) is recovered while it still works.
/// </remarks>
internal static class JobsHostExtensions
{
    private static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(10);

    /// <param name="Cron">Null for a job that runs only when started (Run now, or by the feature that needs it).</param>
    /// <param name="Misfire">
    /// What a firing missed while no node ran (a stopped cluster, a long pause) becomes: frequent jobs wait for their next
    /// time, daily ones run once at once.
    /// </param>
    /// <param name="RequestsRecovery">Run again on another node when the node running it dies.</param>
    private sealed record Definition(
        Type JobType,
        string Key,
        string Name,
        string? Cron,
        string ScheduleInWords,
        CronTriggerMisfireInstruction Misfire = CronTriggerMisfireInstruction.DoNothing,
        bool RequestsRecovery = false
    );

    private static readonly Definition[] Catalog =
    [
        new(
            typeof(AuditVerificationJob),
            AuditChainCheck.JobKey,
            "Audit chain verification",
            "0 30 2 * * ?",
            "Every night at 02:30 UTC",
            CronTriggerMisfireInstruction.FireAndProceed
        ),
        new(typeof(SecureMessageExpiryJob), SecureMessageExpirySweep.JobKey, "Secure message expiry", "0 * * * * ?", "Every minute"),
        new(typeof(AccessGrantExpiryJob), AccessGrantExpirySweep.JobKey, "Access grant expiry", "30 * * * * ?", "Every minute"),
        new(
            typeof(EmailOutboxJob),
            EmailDelivery.JobKey,
            "Email outbox delivery",
            "0/30 * * * * ?",
            "Every 30 seconds, and at once when an email is queued"
        ),
        new(
            typeof(PasswordExpiryJob),
            PasswordExpiry.JobKey,
            "Password expiry and reminders",
            "0 0 3 * * ?",
            "Every day at 03:00 UTC (does nothing while auto-expiry is off)",
            CronTriggerMisfireInstruction.FireAndProceed
        ),
        new(
            typeof(KeyRewrapJob),
            SecretRewrapper.JobKey,
            "Re-wrap secrets with the active certificate",
            null,
            "When an administrator starts it on the Encryption page; resumes after a restart",
            RequestsRecovery: true
        ),
    ];

    public static IServiceCollection AddBlazorVaultJobs(this IServiceCollection services, StoragePaths paths)
    {
        services.AddQuartz(quartz =>
        {
            if (paths.Provider == DatabaseProvider.PostgreSQL)
            {
                UseTheClusteredStore(quartz, paths.ConnectionString);
            }
            else
            {
                quartz.UseInMemoryStore();
            }

            foreach (var job in Catalog)
            {
                var key = new JobKey(job.Key);
                quartz.AddJob(
                    job.JobType,
                    j => j.WithIdentity(key).StoreDurably().RequestRecovery(job.RequestsRecovery).WithDescription(job.Name)
                );
                if (job.Cron is { } cronExpression)
                {
                    quartz.AddTrigger(t =>
                        t.ForJob(key)
                            .WithIdentity($"{job.Key}-schedule")
                            .WithCronSchedule(cronExpression, cron => cron.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(job.Misfire))
                    );
                }
            }
        });

        // Every node stores the catalogue as it starts, over what the database holds, so nodes that start together do not
        // collide; a replaced trigger keeps its last firing, so a start fires nothing again.
        services.Configure<QuartzOptions>(options =>
        {
            options.Scheduling.OverwriteExistingData = true;
            options.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true;
        });

        // On shutdown, running jobs finish before the process exits, within the host's shutdown timeout.
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.Remove(
            services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(QuartzHostedService))
        );
        services.AddSingleton<QuartzHostedService>();
        services.AddHostedService<BoundedQuartzHostedService>();
        services.AddSingleton<IJobScheduler, QuartzJobScheduler>();
        return services;
    }

    /// <summary>
    /// Each node gets an instance id of its own from Quartz (host name and start time): the node's name is for people, and
    /// two nodes given the same <c>Cluster:NodeName</c> by a shared configuration file must still not pass for one.
    /// </summary>
    private static void UseTheClusteredStore(IQuartzBuilder quartz, string connectionString)
    {
        // A shutdown that does not wait (the host's shutdown timeout) interrupts the jobs, which hand their firing back.
        quartz.ConfigureScheduler(scheduler => scheduler.ShutdownJobInterruption = ShutdownJobInterruption.WhenNotWaitingForJobs);
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(NpgsqlFactory.Instance, connectionString);
            store.UseClustering(cluster =>
            {
                cluster.CheckinInterval = CheckinInterval;
                cluster.CheckinMisfireThreshold = CheckinMisfireThreshold;
            });
            store.ConfigureStore(options => options.RecoverFiringsCancelledByShutdown = true);
        });
    }

    private sealed class QuartzJobScheduler(ISchedulerFactory schedulers) : IJobScheduler
    {
        public IReadOnlyList<JobDescription> Jobs { get; } = [.. Catalog.Select(j => new JobDescription(j.Key, j.Name, j.ScheduleInWords))];

        public async Task<DateTime?> GetNextRunAsync(string jobKey, CancellationToken cancellationToken = default)
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            var triggers = await scheduler.GetTriggersOfJob(new JobKey(jobKey), cancellationToken);
            return triggers.Select(t => t.NextFireTimeUtc).Where(t => t is not null).Min()?.UtcDateTime;
        }

        public async Task TriggerAsync(string jobKey, CancellationToken cancellationToken = default)
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            await scheduler.TriggerJob(new JobKey(jobKey), new JobDataMap(), cancellationToken);
        }

        public async Task<bool> IsRunningAsync(string jobKey, CancellationToken cancellationToken = default)
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            var running = await scheduler.QueryFireInstances(new FireInstanceQuery { Job = new JobKey(jobKey) }, cancellationToken);
            return running.Items.Count > 0;
        }
    }
}
