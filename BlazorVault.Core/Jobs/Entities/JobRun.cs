namespace BlazorVault.Core.Jobs.Entities;

/// <summary>One execution of a scheduled job: when, on which node, and how it ended.</summary>
public sealed class JobRun
{
    public const int MessageMaxLength = 1000;

    public long Id { get; init; }

    public string JobKey { get; init; } = "";

    public DateTime StartedAt { get; init; }

    /// <summary>The node that ran it (<c>Cluster:NodeName</c>); null on runs recorded before nodes were.</summary>
    public string? Node { get; init; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>Null while running.</summary>
    public bool? Succeeded { get; set; }

    public string? Message { get; set; }
}
