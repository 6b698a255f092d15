using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Jobs;
using BlazorVault.Core.Jobs.Models;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.SecureMessages;
using Quartz;

namespace BlazorVault.Jobs;

/// <summary>
/// Every scheduled job, registered in this one place. One node keeps Quartz's in-memory store; a cluster swaps
/// <see cref="AddBlazorVaultJobs"/>'s store for the clustered AdoJobStore on PostgreSQL without touching the jobs.
/// </summary>
internal static class JobsHostExtensions
{
    /// <param name="Cron">Null for a job that runs only when started (Run now, or by the feature that needs it).</param>
    private sealed record Definition(Type JobType, string Key, string Name, string? Cron, string ScheduleInWords);

    private static readonly Definition[] Catalog =
    [
        new(typeof(AuditVerificationJob), AuditChainCheck.JobKey, "Audit chain verification", "0 30 2 * * ?", "Every night at 02:30 UTC"),
        new(typeof(SecureMessageExpiryJob), SecureMessageExpirySweep.JobKey, "Secure message expiry", "0 * * * * ?", "Every minute"),
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
            "Every day at 03:00 UTC (does nothing while auto-expiry is off)"
        ),
        new(
            typeof(KeyRewrapJob),
            SecretRewrapper.JobKey,
            "Re-wrap secrets with the active certificate",
            null,
            "When an administrator starts it on the Encryption page; resumes after a restart"
        ),
    ];

    public static IServiceCollection AddBlazorVaultJobs(this IServiceCollection services)
    {
        services.AddQuartz(quartz =>
        {
            quartz.UseInMemoryStore();
            foreach (var job in Catalog)
            {
                var key = new JobKey(job.Key);
                quartz.AddJob(job.JobType, j => j.WithIdentity(key).StoreDurably().WithDescription(job.Name));
                if (job.Cron is { } cronExpression)
                {
                    quartz.AddTrigger(t =>
                        t.ForJob(key)
                            .WithIdentity($"{job.Key}-schedule")
                            .WithCronSchedule(cronExpression, cron => cron.InTimeZone(TimeZoneInfo.Utc))
                    );
                }
            }
        });

        // On shutdown, running jobs finish before the process exits.
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.AddSingleton<IJobScheduler, QuartzJobScheduler>();
        return services;
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
