using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.CustomObjects.Core;

public abstract class CustomTableServiceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;

    private CustomTableService Tables => _host.Get<CustomTableService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(await _host.CreateAgentAsync("ada@example.com", isAdmin: true));
    }

    [Fact]
    public async Task Tables_AreValidated_AndAgentsCannotChangeThem()
    {
        var duplicate = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Tables.CreateTableAsync(new CustomTableInput { Name = "Passwords" })
        );
        Assert.Equal(["Name"], duplicate.Errors.Keys);

        await _host.ActAsAsync(await _host.CreateAgentAsync("alex@example.com"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Tables.CreateTableAsync(new CustomTableInput { Name = "Mine" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Tables.ListAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : CustomTableServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : CustomTableServiceTests(postgres);
}
