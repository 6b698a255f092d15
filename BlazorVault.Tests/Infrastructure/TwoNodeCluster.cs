using System.Net;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>
/// BlazorVault scaled out as docs/scale-out.md says: two node processes (started together, so both race to migrate)
/// on one PostgreSQL database and one key folder, each with its own data folder and <c>Cluster:NodeName</c>, behind the
/// product's nginx configuration. A Core host on the same database and key folder arranges data and checks results.
/// </summary>
public sealed class TwoNodeCluster : IAsyncDisposable
{
    private readonly TempDirectory _folder = new(withTestKey: false);
    private readonly TestDatabase _database;
    private readonly Dictionary<string, string> _affinityByNode = [];

    private TwoNodeCluster(TestDatabase database) => _database = database;

    public AppProcess NodeA { get; private set; } = default!;

    public AppProcess NodeB { get; private set; } = default!;

    public NginxServer Nginx { get; private set; } = default!;

    /// <summary>Core on the cluster's database and key folder, as a third node without a web server or jobs.</summary>
    public CoreTestHost Core { get; private set; } = default!;

    public string KeyDirectory => Path.Combine(_folder.Path, "keys");

    /// <summary>Starts both nodes, nginx in front of them, and finds an affinity cookie value for each node.</summary>
    public static async Task<TwoNodeCluster> StartAsync(PostgresServer postgres)
    {
        var cluster = new TwoNodeCluster(await postgres.CreateAsync());
        TestCertificates.Install(cluster.KeyDirectory);
        var nodes = await Task.WhenAll(cluster.StartNodeAsync("node-a"), cluster.StartNodeAsync("node-b"));
        (cluster.NodeA, cluster.NodeB) = (nodes[0], nodes[1]);
        cluster.Core = CoreTestHost.Create(
            new TestDatabase(DatabaseProvider.PostgreSQL, cluster._database.ConnectionString),
            installTestKey: false,
            keyDirectory: cluster.KeyDirectory
        );
        await cluster.Core.InitializeAsync();
        // Its settings cache hears the nodes' changes, as a node's does, so what it saves is based on their latest version.
        await cluster.Core.Get<PostgresSettingsChangeNotifier>().StartAsync(CancellationToken.None);
        cluster.Nginx = await NginxServer.StartAsync([cluster.NodeA.Endpoint, cluster.NodeB.Endpoint]);
        await cluster.FindAffinitiesAsync();
        return cluster;
    }

    /// <summary>The first administrator, as setup or <c>create-admin</c> makes one: every node then leaves first-run mode.</summary>
    public Task<string> CreateAdminAsync(string email) =>
        Core.AsSystemAsync(() =>
            Core.Get<SetupService>()
                .CreateAdminAsync(
                    new NewAccountInput
                    {
                        DisplayName = "Ada Admin",
                        Email = email,
                        Password = TestPasswords.Default,
                    }
                )
        );

    /// <summary>A cookie value that makes nginx send a browser's requests to <paramref name="node"/>.</summary>
    public string AffinityFor(AppProcess node) => _affinityByNode[node.Endpoint];

    /// <summary>An HTTP client of nginx's public address, trusting its certificate, with cookies, pinned to a node.</summary>
    public (HttpClient Client, CookieContainer Cookies) CreateClient(AppProcess node)
    {
        var cookies = new CookieContainer();
        PinCookies(cookies, node);
        var certificate = Nginx.Certificate;
        var handler = new HttpClientHandler
        {
            CookieContainer = cookies,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        return (new HttpClient(handler) { BaseAddress = new Uri(Nginx.Address) }, cookies);
    }

    /// <summary>From now on this cookie jar's requests go to <paramref name="node"/>.</summary>
    public void PinCookies(CookieContainer cookies, AppProcess node) =>
        cookies.Add(new Uri(Nginx.Address), new System.Net.Cookie("bv_affinity", AffinityFor(node), "/"));

    /// <summary>A browser context on nginx's address (its self-signed certificate accepted), pinned to a node.</summary>
    public async Task<BrowserSession> OpenBrowserAsync(BrowserFixture browser, AppProcess node)
    {
        var session = await BrowserSession.OpenAsync(browser, Nginx.Address, ignoreHttpsErrors: true);
        await PinAsync(session, node);
        return session;
    }

    /// <summary>From now on this browser's requests go to <paramref name="node"/>.</summary>
    public Task PinAsync(BrowserSession session, AppProcess node) =>
        session.Page.Context.AddCookiesAsync([
            new Microsoft.Playwright.Cookie
            {
                Name = "bv_affinity",
                Value = AffinityFor(node),
                Url = Nginx.Address,
                Secure = true,
                HttpOnly = true,
                SameSite = SameSiteAttribute.Lax,
            },
        ]);

    public async ValueTask DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        foreach (var node in new[] { NodeA, NodeB }.Where(n => n is not null))
        {
            await node.DisposeAsync();
        }

        if (Core is not null)
        {
            await Core.DisposeAsync();
        }

        await _database.DisposeAsync();
        _folder.Dispose();
    }

    private Task<AppProcess> StartNodeAsync(string name)
    {
        var data = Path.Combine(_folder.Path, name);
        Directory.CreateDirectory(data);
        return AppProcess.StartAsync(
            new Dictionary<string, string?>
            {
                ["Database__Provider"] = "PostgreSQL",
                ["ConnectionStrings__BlazorVault"] = _database.ConnectionString,
                ["Storage__DataDirectory"] = data,
                ["Storage__KeyDirectory"] = KeyDirectory,
                ["Cluster__NodeName"] = name,
                ["Hosting__TlsTerminatedByProxy"] = "true",
                ["RateLimiting__SignInPerMinute"] = "1000",
                ["Logging__LogLevel__Default"] = "Warning",
            }
        );
    }

    /// <summary>Asks nginx with made-up affinity values until each node has one, reading the node from its access log.</summary>
    private async Task FindAffinitiesAsync()
    {
        for (var i = 0; _affinityByNode.Count < 2; i++)
        {
            if (i == 64)
            {
                throw new InvalidOperationException("nginx sent 64 different affinity values to the same node.");
            }

            var value = $"probe{i}";
            using var client = CreateProbeClient(value);
            await client.GetAsync($"/Account/Login?affinity-probe={value}");
            var node = (await Nginx.NodesThatServedAsync($"affinity-probe={value} ")).Single();
            _affinityByNode.TryAdd(node, value);
        }
    }

    private HttpClient CreateProbeClient(string affinity)
    {
        var certificate = Nginx.Certificate;
        var handler = new HttpClientHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(Nginx.Address) };
        client.DefaultRequestHeaders.Add("Cookie", $"bv_affinity={affinity}");
        return client;
    }
}
