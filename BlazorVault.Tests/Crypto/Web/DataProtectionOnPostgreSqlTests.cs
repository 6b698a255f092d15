using System.Net;
using System.Xml.Linq;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Crypto.Web;

/// <summary>
/// Two nodes on one PostgreSQL database, each with its own key folder holding the same certificate: the Data Protection
/// key ring lives in the database, sealed with the certificate, so a sign-in cookie or an antiforgery token issued by one
/// node is accepted by the other, also when both start together on an empty key table.
/// </summary>
public sealed class DataProtectionOnPostgreSqlTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string AdminEmail = "ada@example.com";

    private TestDatabase _database = default!;

    public async ValueTask InitializeAsync() => _database = await postgres.CreateAsync();

    [Fact]
    public async Task SignInOnOneNode_IsAcceptedByTheOther_AndTheStoredKeyIsSealed()
    {
        await using var first = Node();
        await first.CreateAdminAsync(AdminEmail);
        await using var second = Node();

        await AssertSignInCrossesAsync(from: first, to: second);
        await AssertSignInCrossesAsync(from: second, to: first);

        var row = Assert.Single(await ReadKeyRowsAsync(first));
        Assert.Contains("<blazorVaultSealedKey", row, StringComparison.Ordinal);
        Assert.Contains("KeyRingXmlDecryptor", row, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", row, StringComparison.Ordinal);
        var masterKey = RawMasterKey(first, row);
        Assert.True(masterKey.Length >= 32, "the decrypted key element holds the raw master key");
        Assert.DoesNotContain(masterKey, row, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(first.DataDirectory, "keys", "dataprotection")));
        Assert.Empty(Directory.GetFiles(Path.Combine(second.DataDirectory, "keys", "dataprotection")));
    }

    [Fact]
    public async Task TwoNewNodesStartingTogether_UseOneKey_AndAcceptEachOthersCookies()
    {
        await using var first = Node();
        await using var second = Node();

        await Task.WhenAll(Task.Run(first.StartAndGetAddress), Task.Run(second.StartAndGetAddress));

        // Each start loaded its key ring: only the first to do so created a key.
        Assert.Single(await ReadKeyRowsAsync(first));
        await first.CreateAdminAsync(AdminEmail);
        await AssertSignInCrossesAsync(from: first, to: second);
        await AssertSignInCrossesAsync(from: second, to: first);
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    /// <summary>A node with an empty key folder of its own but the shared test certificate, on the test's database.</summary>
    private AppFactory Node() => new(settings: new Dictionary<string, string?>(_database.Configuration));

    /// <summary>
    /// The sign-in form (and its antiforgery token and cookie) is fetched from one node and posted to the other, whose
    /// sign-in cookie then opens an administrator's page on the first.
    /// </summary>
    private static async Task AssertSignInCrossesAsync(AppFactory from, AppFactory to)
    {
        var fromAddress = new Uri(from.StartAndGetAddress());
        var toAddress = new Uri(to.StartAndGetAddress());
        var cookies = new CookieContainer();
        using var fromClient = Client(cookies, fromAddress);
        using var toClient = Client(cookies, toAddress);
        var form = await HttpForms.FillAsync(
            fromClient,
            "/Account/Login",
            "login",
            new Dictionary<string, string> { ["Input.Email"] = AdminEmail, ["Input.Password"] = TestPasswords.Default }
        );
        CopyCookies(cookies, fromAddress, toAddress);

        using var signIn = await toClient.PostAsync("/Account/Login", form);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotContain("/Account/Login", signIn.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
        CopyCookies(cookies, toAddress, fromAddress);
        using var page = await fromClient.GetAsync("/config/encryption");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    private static HttpClient Client(CookieContainer cookies, Uri address) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = address };

    /// <summary>Cookies are not bound to a port, as browsers treat them; the container is told so explicitly.</summary>
    private static void CopyCookies(CookieContainer cookies, Uri from, Uri to)
    {
        foreach (Cookie cookie in cookies.GetCookies(from))
        {
            cookies.Add(to, new Cookie(cookie.Name, cookie.Value, "/"));
        }
    }

    private static async Task<List<string>> ReadKeyRowsAsync(AppFactory node)
    {
        await using var db = await node.Services.GetRequiredService<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }

    /// <summary>The key's secret, as Data Protection holds it once the certificate has opened the sealed element.</summary>
    private static string RawMasterKey(AppFactory node, string row)
    {
        var sealedElement = XElement.Parse(row).Descendants("blazorVaultSealedKey").Single();
        var opened = new KeyRingXmlDecryptor(node.Services).Decrypt(sealedElement);
        return opened.Descendants("value").Single().Value;
    }
}
