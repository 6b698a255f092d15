using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Jobs.Models;

namespace BlazorVault.Core.Audit;

/// <summary>The nightly job's work: verify the chain and record the result in the log itself.</summary>
public sealed class AuditChainCheck(AuditVerifier verifier, IAuditLog audit)
{
    public const string JobKey = "audit-verify";

    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var result = await verifier.VerifyAsync(cancellationToken);
        await audit.WriteAsync(
            new AuditEntry(
                AuditActions.AuditVerified,
                Details: new Dictionary<string, object?>
                {
                    ["intact"] = result.IsIntact,
                    ["events"] = result.EventCount,
                    ["firstBroken"] = result.FirstBrokenSequence,
                }
            ),
            cancellationToken
        );
        return new JobOutcome(result.IsIntact, result.ToString());
    }
}
