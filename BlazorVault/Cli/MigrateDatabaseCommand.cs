using System.Diagnostics;
using System.Globalization;
using BlazorVault.Core.Persistence;

namespace BlazorVault.Cli;

/// <summary>
/// <c>migrate-database --to "Host=...;Database=..."</c>: copies the configured SQLite database into an empty PostgreSQL
/// database, then checks it. Exit 0 when every check passes, 1 when one fails, 2 when the move is refused.
/// </summary>
internal sealed class MigrateDatabaseCommand(string? target) : ICliCommand
{
    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            await error.WriteLineAsync("migrate-database needs --to \"Host=...;Port=5432;Database=...;Username=...;Password=...\".");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var move = scope.ServiceProvider.GetRequiredService<DatabaseMove>();
        var clock = Stopwatch.StartNew();
        MoveReport report;
        try
        {
            report = await move.ToPostgreSqlAsync(target, new ConsoleProgress(output));
        }
        catch (MoveRefusedException ex)
        {
            await error.WriteLineAsync($"migrate-database refused: {ex.Message}");
            return 2;
        }

        var rows = report.Tables.Sum(t => t.TargetRows);
        foreach (var table in report.Tables.Where(t => t.SourceRows != t.TargetRows))
        {
            await error.WriteLineAsync($"FAIL {table.Name}: {table.SourceRows} row(s) in SQLite, {table.TargetRows} in PostgreSQL");
        }

        await Line(report.Tables.All(t => t.SourceRows == t.TargetRows), $"row counts: {report.Tables.Count} tables, {rows:N0} rows");
        await Line(
            report.Audit.IsIntact && report.Audit.EventCount == report.SourceAuditEvents,
            $"audit log: {report.Audit} of {report.SourceAuditEvents} copied"
        );
        await Line(
            report.SecretsDecrypted == report.SecretsSampled,
            $"secrets: {report.SecretsDecrypted} of {report.SecretsSampled} sampled decrypt with the key folder to the SQLite values"
        );
        if (!report.Succeeded)
        {
            await error.WriteLineAsync("The PostgreSQL database is not a faithful copy: do not start BlazorVault on it.");
            return 1;
        }

        await output.WriteLineAsync(
            string.Create(CultureInfo.InvariantCulture, $"Moved in {clock.Elapsed.TotalSeconds:0.0} s. The SQLite database is unchanged. ")
                + "Next: stop using it, set Database__Provider=PostgreSQL and ConnectionStrings__BlazorVault to the same string, keep "
                + "the same key folder (Storage:KeyDirectory), and start BlazorVault. Everyone signs in again once."
        );
        return 0;

        Task Line(bool ok, string text) => (ok ? output : error).WriteLineAsync($"{(ok ? "ok  " : "FAIL")} {text}");
    }

    /// <summary>Writes each report as it comes, in order (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
    private sealed class ConsoleProgress(TextWriter output) : IProgress<MoveProgress>
    {
        public void Report(MoveProgress value) =>
            output.WriteLine(
                value.Copied == 0
                    ? $"{value.Table}: {value.Total:N0} row(s)"
                    : $"{value.Table}: {value.Copied:N0} of {value.Total:N0} copied"
            );
    }
}
