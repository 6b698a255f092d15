using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.CustomObjects.Core;

public abstract class CustomTableFieldServiceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private int _acme;

    private CustomTableFieldService Fields => _host.Get<CustomTableFieldService>();

    private CustomTableService Tables => _host.Get<CustomTableService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        _acme = await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(await _host.CreateAgentAsync("ada@example.com", isAdmin: true));
    }

    [Fact]
    public async Task APasswordFieldWithValues_CannotChangeType_AndAFieldWithClearValuesCannotBecomeAPassword()
    {
        await _host
            .Get<CustomerVaultService>()
            .CreateRowAsync(_acme, 1, new VaultRowInput(new Dictionary<int, string?> { [3] = "root", [PasswordField] = "pw" }));

        var toText = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Fields.UpdateFieldAsync(PasswordField, new CustomFieldInput { Label = "Password", Type = CustomFieldType.Text })
        );
        Assert.Contains("would store them in clear", toText.Message, StringComparison.Ordinal);
        var toPassword = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Fields.UpdateFieldAsync(3, new CustomFieldInput { Label = "Username", Type = CustomFieldType.Password })
        );
        Assert.Contains("must start empty", toPassword.Message, StringComparison.Ordinal);

        var toUrl = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Fields.UpdateFieldAsync(3, new CustomFieldInput { Label = "Username", Type = CustomFieldType.Url })
        );
        Assert.Contains("may not accept", toUrl.Message, StringComparison.Ordinal);
        await Fields.UpdateFieldAsync(3, new CustomFieldInput { Label = "Username", Type = CustomFieldType.Multiline });
        await Fields.UpdateFieldAsync(
            PasswordField,
            new CustomFieldInput
            {
                Label = "Secret",
                Type = CustomFieldType.Password,
                Required = true,
            }
        );
        Assert.Equal("Secret", (await Tables.ListAsync()).Single().Fields.Single(f => f.Id == PasswordField).Label);
    }

    [Fact]
    public async Task DeletingAFieldWithValues_NeedsConfirmation_AndDeletesItsSecrets()
    {
        await _host
            .Get<CustomerVaultService>()
            .CreateRowAsync(_acme, 1, new VaultRowInput(new Dictionary<int, string?> { [PasswordField] = "pw" }));

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Fields.DeleteFieldAsync(PasswordField, deleteValues: false)
        );
        Assert.Contains("holds 1 value(s)", refused.Message, StringComparison.Ordinal);

        await Fields.DeleteFieldAsync(PasswordField, deleteValues: true);

        await using var db = await _host.OpenDbAsync();
        Assert.False(await db.Secrets.AnyAsync());
        Assert.DoesNotContain((await Tables.ListAsync()).Single().Fields, f => f.Id == PasswordField);
    }

    [Fact]
    public async Task Fields_AreValidated_AndAgentsCannotChangeThem()
    {
        var select = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Fields.AddFieldAsync(1, new CustomFieldInput { Label = "Site", Type = CustomFieldType.SingleSelect })
        );
        Assert.Equal(["Options"], select.Errors.Keys);
        var nested = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Fields.AddFieldAsync(1, new CustomFieldInput { Label = "Nested", Type = CustomFieldType.Table })
        );
        Assert.Equal(["Type"], nested.Errors.Keys);

        await _host.ActAsAsync(await _host.CreateAgentAsync("alex@example.com"));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Fields.AddFieldAsync(1, new CustomFieldInput { Label = "Mine", Type = CustomFieldType.Text })
        );
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : CustomTableFieldServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : CustomTableFieldServiceTests(postgres);
}
