using BlazorVault.Core.Audit;
using BlazorVault.Core.Persistence;
using BlazorVault.Hosting;

namespace BlazorVault.Cli;

/// <summary><c>audit verify</c>: "chain intact (N events)" and exit 0, or the first broken event and exit 1.</summary>
internal sealed class AuditVerifyCommand : ICliCommand
{
    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        await StartupTasks.InitializeAsync(services);
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync();
        await (result.IsIntact ? output : error).WriteLineAsync(result.ToString());
        return result.IsIntact ? 0 : 1;
    }
}
