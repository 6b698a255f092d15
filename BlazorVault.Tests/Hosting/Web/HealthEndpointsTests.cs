using System.Net;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BlazorVault.Tests.Hosting.Web;

/// <summary>
/// The load balancer's endpoints over real HTTP, on each database: unauthenticated even before setup, never cached,
/// saying nothing but Healthy or Unhealthy, and <c>/readyz</c> turning 503 when the database goes away.
/// </summary>
public abstract class HealthEndpointsTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private TestDatabase _database = default!;
    private AppFactory _app = default!;

    public async ValueTask InitializeAsync()
    {
        _database = await databases.CreateAsync();
        // A short shutdown timeout: a node whose database was taken away may not get its scheduler's acquired firings back
        // to the database, and then waits out the whole timeout as it stops.
        _app = new AppFactory(
            settings: new Dictionary<string, string?>(_database.Configuration),
            services: s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5))
        );
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task BeforeSetupAndWithoutSignIn_AnswersHealthy_AndNothingElse(string path)
    {
        using var client = _app.CreateRealClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenTheDatabaseGoesAway_ReadyzAnswers503_AndHealthzStillAnswers()
    {
        using var client = _app.CreateRealClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        await TakeTheDatabaseAwayAsync();

        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private protected abstract Task TakeTheDatabaseAwayAsync(TestDatabase database, string dataDirectory);

    private Task TakeTheDatabaseAwayAsync() => TakeTheDatabaseAwayAsync(_database, _app.DataDirectory);

    public sealed class OnSqlite() : HealthEndpointsTests(SqliteDatabases.Instance)
    {
        /// <summary>The file deleted under the running app: a new connection finds an empty database without history.</summary>
        private protected override Task TakeTheDatabaseAwayAsync(TestDatabase database, string dataDirectory)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.EnumerateFiles(Path.Combine(dataDirectory, "db")))
            {
                File.Delete(file);
            }

            return Task.CompletedTask;
        }
    }

    public sealed class OnPostgreSql(PostgresServer postgres) : HealthEndpointsTests(postgres)
    {
        /// <summary>The database dropped under the running app, its connections ended.</summary>
        private protected override async Task TakeTheDatabaseAwayAsync(TestDatabase database, string dataDirectory) =>
            await database.DisposeAsync();
    }
}
