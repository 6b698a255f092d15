namespace BlazorVault.Cli;

/// <summary>A command-line verb run on the application's own services instead of the web server.</summary>
internal interface ICliCommand
{
    Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error);
}

internal static class CommandLine
{
    public const string Usage = """
        Usage: dotnet run --project BlazorVault [-- <verb> [options]]
          (no verb)                       run the web application
          create-admin --email E [--name N] [--password P]
                                          create an administrator; prompts for the password, or generates
                                          and prints one when none is given
          seed-demo [--password P] [--customers N] [--force]
                                          add demo customers, agents, portal users and tickets
          healthcheck                     check database, folders, permissions and HTTPS; non-zero exit on failure
          audit verify                    walk the audit log's hash chain; non-zero exit when it is broken
          keys status                     the encryption certificates, what each wraps, health and warnings
          keys rotate --yes               generate a new key, make it active and re-wrap every secret with it
          migrate-database --to "Host=...;Database=...;Username=...;Password=..."
                                          copy the SQLite database into an empty PostgreSQL database and check
                                          the copy; the SQLite database is not changed
        """;

    /// <summary>Null when the arguments start no verb (the web application runs).</summary>
    public static ICliCommand? Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return null;
        }

        var options = ParseOptions(args.AsSpan(1));
        return args[0] switch
        {
            "create-admin" => new CreateAdminCommand(Get(options, "email"), Get(options, "name"), Get(options, "password")),
            "seed-demo" => new SeedDemoCommand(
                Get(options, "password"),
                ParseCount(Get(options, "customers")),
                options.ContainsKey("force")
            ),
            "healthcheck" => new HealthCheckCommand(),
            "audit" when args.Length > 1 && args[1] == "verify" => new AuditVerifyCommand(),
            "keys" when args.Length > 1 && args[1] == "status" => new KeysStatusCommand(),
            "keys" when args.Length > 1 && args[1] == "rotate" => new KeysRotateCommand(options.ContainsKey("yes")),
            "migrate-database" => new MigrateDatabaseCommand(Get(options, "to")),
            "help" => new UsageCommand(null),
            _ => new UsageCommand($"Unknown verb '{args[0]}'."),
        };
    }

    private static Dictionary<string, string?> ParseOptions(ReadOnlySpan<string> args)
    {
        var options = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            var name = args[i][2..];
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[name] = hasValue ? args[++i] : null;
        }

        return options;
    }

    private static string? Get(Dictionary<string, string?> options, string name) => options.GetValueOrDefault(name);

    private static int? ParseCount(string? value) => int.TryParse(value, out var count) ? count : null;

    private sealed class UsageCommand(string? problem) : ICliCommand
    {
        public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error)
        {
            if (problem is not null)
            {
                await error.WriteLineAsync(problem);
            }

            await (problem is null ? output : error).WriteLineAsync(Usage);
            return problem is null ? 0 : 2;
        }
    }
}
