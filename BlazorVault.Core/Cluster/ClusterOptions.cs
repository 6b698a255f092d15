using Microsoft.Extensions.Configuration;

namespace BlazorVault.Core.Cluster;

/// <summary>
/// The <c>Cluster</c> configuration section. <c>Cluster:NodeName</c> names this node in the audit log and on the Jobs page;
/// unset, the node is the machine's name plus the port it listens on (<see cref="ThisNode"/>).
/// </summary>
public sealed record ClusterOptions
{
    public const int NodeNameMaxLength = 128;

    public string? NodeName { get; init; }

    public static ClusterOptions FromConfiguration(IConfiguration configuration)
    {
        var name = configuration["Cluster:NodeName"]?.Trim();
        if (name?.Length > NodeNameMaxLength)
        {
            throw new InvalidOperationException($"Cluster:NodeName is limited to {NodeNameMaxLength} characters.");
        }

        return new ClusterOptions { NodeName = string.IsNullOrEmpty(name) ? null : name };
    }
}
