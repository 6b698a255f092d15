using System.Globalization;

namespace BlazorVault.Core.Cluster;

/// <summary>
/// The name of this node, recorded with each audit event and each job run: <c>Cluster:NodeName</c>, or else the machine's
/// name plus the port the web application listens on (<c>web-1:8080</c>). A command-line verb never listens, and goes by
/// the machine's name alone.
/// </summary>
public sealed class ThisNode(ClusterOptions options)
{
    private Func<IEnumerable<string>> _listeningAddresses = () => [];
    private string? _withPort;

    public string Name => options.NodeName ?? (_withPort ??= WithPort()) ?? Environment.MachineName;

    /// <summary>
    /// Where the server's addresses are read from, once it listens (a port of 0 is chosen then). Read when the name is
    /// first asked for after that, so that nothing recorded once the server listens goes without the port.
    /// </summary>
    public void ListenOn(Func<IEnumerable<string>> addresses) => _listeningAddresses = addresses;

    private string? WithPort()
    {
        foreach (var address in _listeningAddresses())
        {
            // Wildcards (http://+:80, http://*:80) are no host names Uri accepts; only the port matters here.
            var port = address.Replace("://+", "://localhost").Replace("://*", "://localhost");
            if (Uri.TryCreate(port, UriKind.Absolute, out var uri) && uri.Port > 0)
            {
                return Environment.MachineName + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
