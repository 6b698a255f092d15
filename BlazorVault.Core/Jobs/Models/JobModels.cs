namespace BlazorVault.Core.Jobs.Models;

/// <summary>A scheduled job as the scheduler knows it.</summary>
public sealed record JobDescription(string Key, string Name, string ScheduleInWords);

/// <param name="Node">The node that ran it; null for runs recorded before nodes were.</param>
public sealed record JobRunView(DateTime StartedAt, DateTime? FinishedAt, bool? Succeeded, string? Message, string? Node);

public sealed record JobStatus(string Key, string Name, string ScheduleInWords, JobRunView? LastRun, DateTime? NextRunAt);

/// <summary>What a job's work reports: whether it found things in order, and a line for the Jobs page.</summary>
public sealed record JobOutcome(bool Succeeded, string Message);
