using BlazorVault.Core.Audit;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.CustomObjects.Core;

/// <summary>The customer password tab's rules on SQLite and on PostgreSQL, through the services agents' pages call.</summary>
public abstract class CustomerVaultServiceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private int _acme;
    private int _globex;
    private string _agent = "";

    private CustomerVaultService Vault => _host.Get<CustomerVaultService>();

    private AuditQueryService AccessLog => _host.Get<AuditQueryService>();

    private RevealSecretCommand Reveal => _host.Get<RevealSecretCommand>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        _acme = await _host.CreateCustomerAsync("Acme");
        _globex = await _host.CreateCustomerAsync("Globex");
        _agent = await _host.CreateAgentAsync("alex@example.com");
        await _host.ActAsAsync(_agent);
    }

    [Fact]
    public async Task ANewInstallation_HasThePasswordsTab_WithTheGuidesRecommendedFields()
    {
        var tab = Assert.Single(await Vault.GetTabsAsync(_acme));

        Assert.Equal("Passwords", tab.Label);
        Assert.Equal(["Type of password", "User", "Username", "Password", "URL", "Notes"], tab.Fields.Select(f => f.Label));
        Assert.Equal(
            [
                CustomFieldType.SingleSelect,
                CustomFieldType.User,
                CustomFieldType.Text,
                CustomFieldType.Password,
                CustomFieldType.Url,
                CustomFieldType.Multiline,
            ],
            tab.Fields.Select(f => f.Type)
        );
    }

    [Fact]
    public async Task PortalUsers_CannotListOrRevealAnything_EvenOfTheirOwnCustomer()
    {
        var row = await CreateRowAsync(_acme, "admin@acme.example", "S3cret-Acme!");
        await _host.ActAsAsync(await _host.CreatePortalUserAsync(_acme, "wile@acme.example"));

        await Assert.ThrowsAsync<AccessDeniedException>(() => Vault.GetTabsAsync(_acme));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reveal.RevealAsync(row, PasswordField, RevealKind.Revealed));
        await Assert.ThrowsAsync<AccessDeniedException>(() => AccessLog.ListAccessLogAsync(_acme));
    }

    [Fact]
    public async Task VisibilityRestrictions_HideATableOrAFieldFromOtherCustomers_AndRefuseTheirReveal()
    {
        var admin = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
        await _host.ActAsAsync(admin);
        var tables = _host.Get<CustomTableService>();
        var fields = _host.Get<CustomTableFieldService>();
        var pin = await fields.AddFieldAsync(
            PasswordsTable,
            new CustomFieldInput
            {
                Label = "Alarm PIN",
                Type = CustomFieldType.Password,
                VisibleToCustomerIds = [_acme],
            }
        );
        var acmeOnly = await tables.CreateTableAsync(new CustomTableInput { Name = "Acme licences", VisibleToCustomerIds = [_acme] });
        await using (var db = await _host.OpenDbAsync())
        {
            db.CustomerFields.Add(CustomerField.LinkingTable("Licences", acmeOnly, order: 2));
            await db.SaveChangesAsync();
        }

        await _host.ActAsAsync(_agent);
        Assert.Contains(pin, (await Vault.GetTabsAsync(_acme))[0].Fields.Select(f => f.Id));
        Assert.DoesNotContain(pin, (await Vault.GetTabsAsync(_globex))[0].Fields.Select(f => f.Id));
        Assert.Equal(["Passwords", "Licences"], (await Vault.GetTabsAsync(_acme)).Select(t => t.Label));
        Assert.Equal(["Passwords"], (await Vault.GetTabsAsync(_globex)).Select(t => t.Label));
        await Assert.ThrowsAsync<NotFoundException>(() => Vault.ListRowsAsync(_globex, acmeOnly, new VaultRowQuery()));

        var globexRow = await CreateRowAsync(_globex, "it@globex.example", "globex-pass");
        await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Vault.UpdateRowAsync(globexRow, new VaultRowInput(new Dictionary<int, string?> { [pin] = "1234" }))
        );
        await Assert.ThrowsAsync<NotFoundException>(() => Reveal.RevealAsync(globexRow, pin, RevealKind.Revealed));
    }

    [Fact]
    public async Task Search_LooksOnlyAtTheFieldsThisCustomerShows()
    {
        var admin = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
        await _host.ActAsAsync(admin);
        var secretNote = await _host
            .Get<CustomTableFieldService>()
            .AddFieldAsync(
                PasswordsTable,
                new CustomFieldInput
                {
                    Label = "Acme note",
                    Type = CustomFieldType.Text,
                    VisibleToCustomerIds = [_acme],
                }
            );
        await _host.ActAsAsync(_agent);
        var row = await CreateRowAsync(_globex, "it@globex.example", "pw");
        await using (var db = await _host.OpenDbAsync())
        {
            // A value left in a field that is hidden for this customer (e.g. restricted after it was written).
            var hidden = new CustomValue(row, secretNote);
            hidden.ChangeText("hidden words");
            db.CustomValues.Add(hidden);
            await db.SaveChangesAsync();
        }

        Assert.Equal(0, (await Vault.ListRowsAsync(_globex, PasswordsTable, new VaultRowQuery(Search: "hidden"))).TotalCount);
        Assert.Equal(1, (await Vault.ListRowsAsync(_globex, PasswordsTable, new VaultRowQuery(Search: "globex"))).TotalCount);
    }

    [Fact]
    public async Task Editing_KeepsThePasswordUnlessANewOneIsGiven_AndANewOneGetsAFreshCiphertext()
    {
        var row = await CreateRowAsync(_acme, "admin@acme.example", "first-password");
        var firstCiphertext = await CiphertextAsync(row);

        await Vault.UpdateRowAsync(
            row,
            new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = "root", [PasswordField] = null })
        );
        Assert.Equal("first-password", (await Reveal.RevealAsync(row, PasswordField, RevealKind.Revealed)).Value);
        Assert.Equal(firstCiphertext, await CiphertextAsync(row));

        await Vault.UpdateRowAsync(row, new VaultRowInput(new Dictionary<int, string?> { [PasswordField] = "second-password" }));
        Assert.Equal("second-password", (await Reveal.RevealAsync(row, PasswordField, RevealKind.Revealed)).Value);
        Assert.NotEqual(firstCiphertext, await CiphertextAsync(row));
        var listed = Assert.Single((await Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery())).Items);
        Assert.Equal("root", listed.Values[UsernameField]);
        Assert.Equal("alex", listed.Secrets[PasswordField].ChangedBy);
    }

    [Fact]
    public async Task Rows_AreValidatedPerType_AndSearchedSortedAndPaged()
    {
        var invalid = new VaultRowInput(
            new Dictionary<int, string?>
            {
                [TypeField] = "Not an option",
                [UrlField] = "javascript:alert(1)",
                [UserField] = "someone-else",
            }
        );
        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => Vault.CreateRowAsync(_acme, PasswordsTable, invalid));
        Assert.Equal(
            new[] { TypeField, UserField, PasswordField, UrlField }
                .Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Order(),
            bad.Errors.Keys.Order()
        );

        for (var i = 0; i < 30; i++)
        {
            await CreateRowAsync(_acme, $"user{i:D2}@acme.example", $"pw-{i}");
        }

        var search = await Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery(Search: "USER1"));
        Assert.Equal(10, search.TotalCount);
        var sorted = await Vault.ListRowsAsync(
            _acme,
            PasswordsTable,
            new VaultRowQuery(SortFieldId: UsernameField, Descending: true, Page: 1, PageSize: 10)
        );
        Assert.Equal(30, sorted.TotalCount);
        Assert.Equal("user19@acme.example", sorted.Items[0].Values[UsernameField]);
        Assert.Empty((await Vault.ListRowsAsync(_globex, PasswordsTable, new VaultRowQuery())).Items);
        Assert.Equal(0, (await Vault.ListRowsAsync(_acme, PasswordsTable, new VaultRowQuery(Search: "pw-1"))).TotalCount);
    }

    [Fact]
    public async Task DeletingARow_DeletesItsSecrets()
    {
        var row = await CreateRowAsync(_acme, "admin@acme.example", "S3cret-Acme!");

        await Vault.DeleteRowAsync(row);

        await using var db = await _host.OpenDbAsync();
        Assert.False(await db.Secrets.AnyAsync(s => s.Purpose == CustomValue.SecretPurpose));
        Assert.Equal(AuditActions.VaultRowDeleted, (await AccessLog.ListAccessLogAsync(_acme))[0].Action);
    }

    private async Task<int> CreateRowAsync(int customer, string username, string password) =>
        await Vault.CreateRowAsync(
            customer,
            PasswordsTable,
            new VaultRowInput(
                new Dictionary<int, string?>
                {
                    [TypeField] = "Email",
                    [UsernameField] = username,
                    [PasswordField] = password,
                    [UrlField] = "https://mail.example.com",
                }
            )
        );

    private async Task<byte[]> CiphertextAsync(int row)
    {
        await using var db = await _host.OpenDbAsync();
        var entity = row.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (await db.Secrets.SingleAsync(s => s.EntityId == entity)).Ciphertext;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : CustomerVaultServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : CustomerVaultServiceTests(postgres);
}
