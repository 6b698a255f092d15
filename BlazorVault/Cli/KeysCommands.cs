using BlazorVault.Core.Crypto;
using BlazorVault.Core.Crypto.Models;
using BlazorVault.Hosting;

namespace BlazorVault.Cli;

/// <summary><c>keys status</c>: the certificates, what each wraps, the health check and any warning.</summary>
internal sealed class KeysStatusCommand : ICliCommand
{
    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        await StartupTasks.InitializeAsync(services);
        await using var scope = services.CreateAsyncScope();
        var overview = await scope.ServiceProvider.GetRequiredService<EncryptionStatusService>().GetOverviewAsync();
        await output.WriteLineAsync($"Key directory: {overview.KeyDirectory}");
        foreach (var certificate in overview.Certificates)
        {
            await output.WriteLineAsync(Describe(certificate));
        }

        await output.WriteLineAsync($"Health: {overview.Health.Message}");
        var rewrap = overview.Rewrap;
        await output.WriteLineAsync(
            $"Secrets: {rewrap.Total} ({rewrap.WrappedByActive} wrapped by the active certificate)"
                + (rewrap.Requested ? "; a re-wrap is pending" : "")
        );
        foreach (var warning in overview.Warnings)
        {
            await error.WriteLineAsync($"WARNING: {warning}");
        }

        return overview.Health.IsHealthy && overview.Certificates.All(c => c.IsLoaded) ? 0 : 1;
    }

    internal static string Describe(CertificateView c) =>
        c.IsLoaded
            ? $"{(c.IsActive ? "* active " : "         ")}{c.Thumbprint}  RSA-{c.KeySize}"
                + $"  valid {c.ValidFrom:yyyy-MM-dd} to {c.ValidTo:yyyy-MM-dd}  wraps {c.SecretCount}  {c.Source}: {c.Location}  "
                + $"{c.Subject}"
            : $"  MISSING {c.Thumbprint}  wraps {c.SecretCount}: restore its PFX to the key directory";
}

/// <summary>
/// <c>keys rotate --yes</c>: generate a new certificate, make it active and re-wrap every secret with it, showing
/// progress. Without <c>--yes</c> it prints the two acknowledgements and changes nothing.
/// </summary>
internal sealed class KeysRotateCommand(bool acknowledged) : ICliCommand
{
    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        if (!acknowledged)
        {
            await error.WriteLineAsync("keys rotate generates a new key file in the key directory. Confirm both statements with --yes:");
            await error.WriteLineAsync($"  - {EncryptionService.LossAcknowledgement}");
            await error.WriteLineAsync($"  - {EncryptionService.BackupAcknowledgement}");
            return 2;
        }

        await StartupTasks.InitializeAsync(services);
        await using var scope = services.CreateAsyncScope();
        var encryption = scope.ServiceProvider.GetRequiredService<EncryptionService>();
        var created = await encryption.GenerateKeyAsync(understandsLoss: true, hasBackupMethod: true, makeActive: true);
        await output.WriteLineAsync($"Generated and activated {created.Thumbprint} ({created.Location}). Back this file up now.");
        var pending = await encryption.RequestRewrapAsync();
        await output.WriteLineAsync($"Re-wrapping {pending} secret(s)...");
        var progress = new ConsoleProgress(output);
        var result = await scope
            .ServiceProvider.GetRequiredService<SecretRewrapper>()
            .RunAsync(SecretRewrapper.DefaultBatchSize, progress, CancellationToken.None);
        await output.WriteLineAsync($"Re-wrapped {result.Rewrapped} secret(s); {result.Remaining} not wrapped by the new certificate.");
        return result.Remaining == 0 ? 0 : 1;
    }

    /// <summary>Reports synchronously (unlike <see cref="Progress{T}"/>), so lines come out in order.</summary>
    private sealed class ConsoleProgress(TextWriter output) : IProgress<RewrapProgress>
    {
        public void Report(RewrapProgress value) =>
            output.WriteLine($"  {value.Done}/{value.Total} ({(value.Total == 0 ? 100 : 100.0 * value.Done / value.Total):0}%)");
    }
}
