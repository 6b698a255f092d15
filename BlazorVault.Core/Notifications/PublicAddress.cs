using BlazorVault.Core.Common;
using BlazorVault.Core.Settings.Sections;

namespace BlazorVault.Core.Notifications;

/// <summary>
/// The start of the links in emails. The setting wins; without it, the address the server listens on: told by the web
/// host once it has started, or by a command-line verb from the configured <c>urls</c> or Kestrel endpoints. Never the
/// Host header of a request, which the requester chooses, and never a guess: with neither, no link is made.
/// </summary>
public sealed class PublicAddress
{
    public const string Unknown =
        "Links in emails need the address of BlazorVault: set \"Address of BlazorVault in links\" in Configuration > Email "
        + "(e.g. https://vault.example.com), or configure the address the web application listens on (urls or Kestrel:Endpoints).";

    private string? _listening;

    /// <summary>The addresses the server listens on, or will; an https one is preferred. An empty list changes nothing.</summary>
    public void SetListeningAddresses(IEnumerable<string> addresses)
    {
        if (addresses.OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 0 : 1).FirstOrDefault() is not { } address)
        {
            return;
        }

        // A wildcard is every interface of this machine; localhost is one of them.
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        _listening = uri.Uri.GetLeftPart(UriPartial.Authority);
    }

    /// <exception cref="ValidationFailedException">Neither the setting nor a listening address is known.</exception>
    public string Link(EmailSettings settings, string path) => Start(settings) + path;

    /// <summary>Checked before work that queues many link emails, so that without an address it starts none of it.</summary>
    /// <exception cref="ValidationFailedException">Neither the setting nor a listening address is known.</exception>
    public void Demand(EmailSettings settings) => Start(settings);

    private string Start(EmailSettings settings) =>
        !string.IsNullOrWhiteSpace(settings.PublicBaseUrl)
            ? settings.PublicBaseUrl.TrimEnd('/')
            : _listening ?? throw new ValidationFailedException(nameof(EmailSettings.PublicBaseUrl), Unknown);
}
