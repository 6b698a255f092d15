using Microsoft.Extensions.Options;

namespace BlazorVault.Hosting;

/// <summary>
/// Below Information, the interactive-rendering stack logs what travels over the circuit: SignalR's hub
/// dispatcher logs event arguments (every value typed into a field), JS interop logs call arguments. Secrets travel
/// over the circuit, so these categories stay at Information or above whatever the configuration asks, for every
/// provider.
/// </summary>
internal sealed class SecretSafeLogging : IPostConfigureOptions<LoggerFilterOptions>
{
    public static readonly IReadOnlyList<string> ClampedCategories =
    [
        "Microsoft.AspNetCore.SignalR",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Components",
        "Microsoft.JSInterop",
        "Microsoft.AspNetCore.Server.Kestrel",
    ];

    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        var providers = options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList();
        var tooVerbose = options
            .Rules.Where(r =>
                r.CategoryName is not null
                && ClampedCategories.Any(c => r.CategoryName.StartsWith(c, StringComparison.Ordinal))
                && r.LogLevel < LogLevel.Information
            )
            .ToList();
        foreach (var rule in tooVerbose)
        {
            options.Rules.Remove(rule);
        }

        foreach (var provider in providers)
        {
            foreach (var category in ClampedCategories)
            {
                options.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Information, filter: null));
            }
        }
    }
}
