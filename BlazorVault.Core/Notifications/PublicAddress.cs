using BlazorVault.Core.Settings.Sections;

namespace BlazorVault.Core.Notifications;

/// <summary>
/// The start of the links in emails. The setting wins; without it, the address the server listens on (set by the
/// web host once it has started). Never the Host header of a request, which the requester chooses.
/// </summary>
public sealed class PublicAddress
{
    private string _listening = "http://localhost:5000";

    public void SetListeningAddress(string address)
    {
        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
        {
            uri.Host = "localhost";
        }

        _listening = uri.Uri.GetLeftPart(UriPartial.Authority);
    }

    public string Link(EmailSettings settings, string path) =>
        (string.IsNullOrWhiteSpace(settings.PublicBaseUrl) ? _listening : settings.PublicBaseUrl.TrimEnd('/')) + path;
}
