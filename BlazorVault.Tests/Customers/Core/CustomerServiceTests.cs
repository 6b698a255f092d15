using BlazorVault.Core.Common;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Core.Security;
using BlazorVault.Core.Tickets;
using BlazorVault.Core.Tickets.Entities;
using BlazorVault.Core.Tickets.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Tests.Customers.Core;

public abstract class CustomerServiceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;

    private CustomerService Customers => _host.Get<CustomerService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        await _host.ActAsAsync(await _host.CreateAgentAsync("agent@example.com"));
    }

    [Fact]
    public async Task Create_ThenSearch_FindsTheCustomerByPartOfItsNameInAnyCase()
    {
        var id = await Customers.CreateAsync(
            new CustomerInput
            {
                Name = "  Acme Corporation ",
                Reference = "ACME-01",
                Email = "it@acme.example",
            }
        );
        await Customers.CreateAsync(new CustomerInput { Name = "Globex" });

        var found = await Customers.ListAsync(new CustomerQuery("acme corp"));

        var customer = Assert.Single(found.Items);
        Assert.Equal(id, customer.Id);
        Assert.Equal("Acme Corporation", customer.Name);
        Assert.Equal(1, found.TotalCount);
        Assert.Single((await Customers.ListAsync(new CustomerQuery("ACME-01"))).Items);
    }

    [Fact]
    public async Task Create_WithANameThatDiffersOnlyInCase_IsRefusedAndStoresNothing()
    {
        await Customers.CreateAsync(new CustomerInput { Name = "Acme" });

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Customers.CreateAsync(new CustomerInput { Name = "ACME" }));

        Assert.Equal([CustomerService.DuplicateName], error.Errors[nameof(CustomerInput.Name)]);
        Assert.Equal(1, (await Customers.ListAsync(new CustomerQuery())).TotalCount);
    }

    [Fact]
    public async Task Create_WithBadFields_ReportsEachFieldAndStoresNothing()
    {
        var input = new CustomerInput
        {
            Name = "",
            Email = "not-an-email",
            Website = "javascript:alert(1)",
            Notes = new string('x', 4001),
        };

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Customers.CreateAsync(input));

        Assert.Equal(["Name is required."], error.Errors["Name"]);
        Assert.Equal(["Enter a valid email address."], error.Errors["Email"]);
        Assert.Equal(["Website must be an http or https address."], error.Errors["Website"]);
        Assert.Equal(["Notes must be at most 4000 characters."], error.Errors["Notes"]);
        await using var db = await _host.OpenDbAsync();
        Assert.Equal(0, await db.Customers.CountAsync());
    }

    [Fact]
    public async Task List_PagesInNameOrder_AndHidesInactiveCustomersUnlessAsked()
    {
        await Customers.CreateManyAsync(Enumerable.Range(1, 30).Select(i => new CustomerInput { Name = $"Customer {i:D2}" }));
        var archived = await Customers.CreateAsync(new CustomerInput { Name = "Archived Ltd", IsActive = false });

        var second = await Customers.ListAsync(new CustomerQuery(Page: 1, PageSize: 25));
        var withInactive = await Customers.ListAsync(new CustomerQuery(IncludeInactive: true, PageSize: 1));

        Assert.Equal(30, second.TotalCount);
        Assert.Equal(["Customer 26", "Customer 27", "Customer 28", "Customer 29", "Customer 30"], second.Items.Select(c => c.Name));
        Assert.Equal(31, withInactive.TotalCount);
        Assert.Equal(archived, withInactive.Items[0].Id);
    }

    [Fact]
    public async Task ALaterPage_InEachOrder_CountsThePortalUsersAndOpenTicketsOfItsOwnRows()
    {
        await Customers.CreateManyAsync(Enumerable.Range(1, 30).Select(i => new CustomerInput { Name = $"Customer {i:D2}" }));
        var ids = (await Customers.ListAsync(new CustomerQuery(PageSize: 100))).Items.ToDictionary(c => c.Name, c => c.Id);
        var (c28, c03) = (ids["Customer 28"], ids["Customer 03"]);
        var requester = await _host.CreatePortalUserAsync(c28, "one@c28.example");
        await _host.CreatePortalUserAsync(c28, "two@c28.example");
        var requester03 = await _host.CreatePortalUserAsync(c03, "one@c03.example");
        var tickets = _host.Get<TicketService>();
        NewTicketInput Ticket(int customer, string requesterId) =>
            new()
            {
                CustomerId = customer,
                RequesterId = requesterId,
                Subject = "Printer",
                Description = "Out of toner",
            };
        await tickets.CreateAsync(Ticket(c28, requester));
        var closed = await tickets.CreateAsync(Ticket(c28, requester));
        await tickets.ChangeStatusAsync(closed, TicketStatus.Closed);
        await tickets.CreateAsync(Ticket(c03, requester03));

        var byName = await Customers.ListAsync(new CustomerQuery(Page: 1, PageSize: 25));
        var byNameDescending = await Customers.ListAsync(new CustomerQuery(Page: 1, PageSize: 25, Sort: CustomerSort.NameDescending));
        var newestFirst = await Customers.ListAsync(new CustomerQuery(Page: 1, PageSize: 25, Sort: CustomerSort.NewestFirst));

        Assert.Equal(
            [("Customer 26", 0, 0), ("Customer 27", 0, 0), ("Customer 28", 2, 1), ("Customer 29", 0, 0), ("Customer 30", 0, 0)],
            byName.Items.Select(c => (c.Name, c.PortalUserCount, c.OpenTicketCount))
        );
        Assert.Equal(
            [("Customer 05", 0, 0), ("Customer 04", 0, 0), ("Customer 03", 1, 1), ("Customer 02", 0, 0), ("Customer 01", 0, 0)],
            byNameDescending.Items.Select(c => (c.Name, c.PortalUserCount, c.OpenTicketCount))
        );
        Assert.Equal(byNameDescending.Items, newestFirst.Items);
    }

    [Fact]
    public async Task Update_ChangesTheCustomer_AndUnknownIdsAreNotFound()
    {
        var id = await Customers.CreateAsync(new CustomerInput { Name = "Acme" });

        await Customers.UpdateAsync(
            id,
            new CustomerInput
            {
                Name = "Acme Ltd",
                Phone = "+44 20 7946 0000",
                IsActive = false,
            }
        );

        var details = await Customers.GetAsync(id);
        Assert.Equal(("Acme Ltd", "+44 20 7946 0000", false), (details.Name, details.Phone, details.IsActive));
        await Assert.ThrowsAsync<NotFoundException>(() => Customers.UpdateAsync(id + 100, new CustomerInput { Name = "Ghost" }));
        await Assert.ThrowsAsync<NotFoundException>(() => Customers.GetAsync(id + 100));
    }

    [Fact]
    public async Task PortalUsersAndAnonymousCallers_CannotListReadOrWriteCustomers()
    {
        var acme = await Customers.CreateAsync(new CustomerInput { Name = "Acme" });
        await _host.ActAsAsync(await _host.CreatePortalUserAsync(acme, "wile@acme.example"));

        await Assert.ThrowsAsync<AccessDeniedException>(() => Customers.ListAsync(new CustomerQuery()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Customers.GetAsync(acme));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Customers.UpdateAsync(acme, new CustomerInput { Name = "Mine now" }));
        Assert.Equal("Acme", (await Customers.GetOwnAsync()).Name);

        _host.Actor.Current = Actor.Anonymous;
        await Assert.ThrowsAsync<AccessDeniedException>(() => Customers.CreateAsync(new CustomerInput { Name = "Anon" }));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : CustomerServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : CustomerServiceTests(postgres);
}
