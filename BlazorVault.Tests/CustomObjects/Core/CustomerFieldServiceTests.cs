using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Tests.CustomObjects.Core;

public abstract class CustomerFieldServiceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private int _acme;

    private CustomerFieldService CustomerFields => _host.Get<CustomerFieldService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        _acme = await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(await _host.CreateAgentAsync("ada@example.com", isAdmin: true));
    }

    [Fact]
    public async Task CustomerFields_HoldAValuePerCustomer_ValidatedByType_AndPasswordsAreRefusedThere()
    {
        var level = await CustomerFields.AddAsync(
            new CustomerFieldInput
            {
                Label = "Contract level",
                Type = CustomFieldType.SingleSelect,
                Options = "Bronze\nSilver\nGold",
                Required = true,
            }
        );
        var portal = await CustomerFields.AddAsync(new CustomerFieldInput { Label = "Their portal", Type = CustomFieldType.Url });
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            CustomerFields.AddAsync(new CustomerFieldInput { Label = "Root password", Type = CustomFieldType.Password })
        );
        Assert.Equal(["Type"], refused.Errors.Keys);
        Assert.Equal(["Passwords", "Contract level", "Their portal"], (await CustomerFields.ListAsync()).Select(f => f.Label));

        await _host.ActAsAsync(await _host.CreateAgentAsync("alex@example.com"));
        var invalid = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            CustomerFields.SaveValuesAsync(
                _acme,
                new VaultRowInput(new Dictionary<int, string?> { [level] = "Platinum", [portal] = "ftp://x" })
            )
        );
        Assert.Equal(2, invalid.Errors.Count);

        await CustomerFields.SaveValuesAsync(
            _acme,
            new VaultRowInput(new Dictionary<int, string?> { [level] = "Gold", [portal] = "https://portal.acme.example" })
        );

        var values = await CustomerFields.GetValuesAsync(_acme);
        Assert.Equal(["Contract level", "Their portal"], values.Fields.Select(f => f.Label));
        Assert.Equal(("Gold", "https://portal.acme.example"), (values.Values[level], values.Values[portal]));
        await using var db = await _host.OpenDbAsync();
        var changed = await db.AuditEvents.SingleAsync(e => e.Action == "customer.fields-changed");
        Assert.Equal((_acme, "alex"), (changed.CustomerId!.Value, changed.ActorName));
        Assert.Contains("Contract level", changed.Details, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : CustomerFieldServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : CustomerFieldServiceTests(postgres);
}
