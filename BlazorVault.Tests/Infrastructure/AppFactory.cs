using System.Net;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Tickets;
using BlazorVault.Core.Tickets.Models;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>
/// The real application on Kestrel at 127.0.0.1 with a random port, its data (SQLite database, keys) in a temp folder.
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _data;
    private readonly bool _ownsData;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="data">An existing data folder (to restart on the same data); the factory then leaves it in place.</param>
    /// <param name="services">Changes to the host's services, applied after its own (e.g. a clock the test moves).</param>
    public AppFactory(Dictionary<string, string?>? settings = null, TempDirectory? data = null, Action<IServiceCollection>? services = null)
    {
        _settings = settings ?? [];
        _services = services;
        _ownsData = data is null;
        _data = data ?? new TempDirectory();
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    public string DataDirectory => _data.Path;

    /// <summary>Everything the app logged, down to Trace.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>Starts Kestrel and returns its address, e.g. http://127.0.0.1:41234.</summary>
    public string StartAndGetAddress()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.First().TrimEnd('/');
    }

    /// <summary>An HTTP client for the real server that does not follow redirects and keeps cookies.</summary>
    public HttpClient CreateRealClient(bool followRedirects = false)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = followRedirects,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
        };
        return new HttpClient(handler) { BaseAddress = new Uri(StartAndGetAddress()) };
    }

    /// <summary>Calls a Core service of the running host as the application itself, for arranging data.</summary>
    public async Task<TResult> AsSystemAsync<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : class
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<SystemActorScope>().Enter();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Stores secrets through the running host's secret store, in one transaction.</summary>
    public async Task WriteSecretsAsync(IEnumerable<(global::BlazorVault.Core.Crypto.SecretSlot Slot, string Value)> secrets)
    {
        await using var scope = Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<global::BlazorVault.Core.Crypto.SecretStore>();
        await using var db = await scope
            .ServiceProvider.GetRequiredService<IDbContextFactory<BlazorVaultDbContext>>()
            .CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        foreach (var (slot, value) in secrets)
        {
            await store.WriteAsync(db, slot, value, CancellationToken.None);
        }

        await transaction.CommitAsync();
    }

    public Task<string> CreateAdminAsync(string email, string password = TestPasswords.Default) =>
        AsSystemAsync<SetupService, string>(s =>
            s.CreateAdminAsync(
                new NewAccountInput
                {
                    DisplayName = "Ada Admin",
                    Email = email,
                    Password = password,
                }
            )
        );

    /// <summary>An agent (or a further administrator) added as an administrator would, with the test password.</summary>
    public Task<string> CreateAgentAsync(string name, string email, bool isAdmin = false) =>
        AsSystemAsync<AgentService, string>(s =>
            s.CreateAsync(
                new NewAccountInput
                {
                    DisplayName = name,
                    Email = email,
                    Password = TestPasswords.Default,
                },
                isAdmin
            )
        );

    public Task<int> CreateCustomerAsync(string name) =>
        AsSystemAsync<CustomerService, int>(s => s.CreateAsync(new CustomerInput { Name = name }));

    public Task<string> CreatePortalUserAsync(int customerId, string name, string email, string password = TestPasswords.Default) =>
        AsSystemAsync<PortalUserService, string>(s =>
            s.CreateAsync(
                customerId,
                new NewAccountInput
                {
                    DisplayName = name,
                    Email = email,
                    Password = password,
                }
            )
        );

    public Task<int> CreateTicketAsync(int customerId, string requesterId, string subject) =>
        AsSystemAsync<TicketService, int>(s =>
            s.CreateAsync(
                new NewTicketInput
                {
                    CustomerId = customerId,
                    RequesterId = requesterId,
                    Subject = subject,
                    Description = $"Description of {subject}",
                }
            )
        );

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", _data.Path);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        builder.UseSetting("RateLimiting:SignInPerMinute", "1000");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (_ownsData)
            {
                _data.Dispose();
            }
        }
    }
}
