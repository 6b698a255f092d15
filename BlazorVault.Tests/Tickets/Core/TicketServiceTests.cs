using BlazorVault.Core.Common;
using BlazorVault.Core.Security;
using BlazorVault.Core.Tickets;
using BlazorVault.Core.Tickets.Entities;
using BlazorVault.Core.Tickets.Models;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Tickets.Core;

public abstract class TicketServiceTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private string _agent = "";
    private int _acme;
    private string _wile = "";
    private int _globex;
    private string _hank = "";

    private TicketService Tickets => _host.Get<TicketService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(databases: databases);
        _agent = await _host.CreateAgentAsync("agent@example.com");
        _acme = await _host.CreateCustomerAsync("Acme");
        _wile = await _host.CreatePortalUserAsync(_acme, "wile@acme.example");
        _globex = await _host.CreateCustomerAsync("Globex");
        _hank = await _host.CreatePortalUserAsync(_globex, "hank@globex.example");
        await _host.ActAsAsync(_agent);
    }

    [Fact]
    public async Task PortalUser_ListsAndOpensOnlyTheirOwnCustomersTickets()
    {
        var mine = await OpenAsync(_acme, _wile, "Rocket skates");
        var theirs = await OpenAsync(_globex, _hank, "Payroll export");

        await _host.ActAsAsync(_wile);
        var listed = await Tickets.ListAsync(new TicketQuery(CustomerId: _globex));

        Assert.Equal([mine], listed.Items.Select(t => t.Id));
        Assert.Equal("Rocket skates", (await Tickets.GetAsync(mine)).Subject);
        await Assert.ThrowsAsync<NotFoundException>(() => Tickets.GetAsync(theirs));
        await Assert.ThrowsAsync<NotFoundException>(() => Tickets.AddCommentAsync(theirs, "hello", isInternal: false));
    }

    [Fact]
    public async Task InternalNotes_AreShownToAgentsButNeverToPortalUsers()
    {
        var id = await OpenAsync(_acme, _wile, "Rocket skates");
        await Tickets.AddCommentAsync(id, "Vendor says batch 7 is faulty", isInternal: true);
        await Tickets.AddCommentAsync(id, "Replacement on its way", isInternal: false);

        var agentView = await Tickets.GetAsync(id);
        await _host.ActAsAsync(_wile);
        var portalView = await Tickets.GetAsync(id);

        Assert.Contains(agentView.Timeline, e => e.Body == "Vendor says batch 7 is faulty");
        Assert.DoesNotContain(portalView.Timeline, e => e.Kind == TicketActivityKind.InternalNote);
        Assert.Contains(portalView.Timeline, e => e.Body == "Replacement on its way");
        await Assert.ThrowsAsync<AccessDeniedException>(() => Tickets.AddCommentAsync(id, "sneaky", isInternal: true));
    }

    [Fact]
    public async Task PortalUsers_CanReplyButNotCreateOrChangeTickets()
    {
        var id = await OpenAsync(_acme, _wile, "Rocket skates");
        await Tickets.ChangeStatusAsync(id, TicketStatus.WaitingOnCustomer);

        await _host.ActAsAsync(_wile);
        await Tickets.AddCommentAsync(id, "Still broken", isInternal: false);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Tickets.ChangeStatusAsync(id, TicketStatus.Closed));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Tickets.EditAsync(id, new TicketEditInput { Subject = "x", Description = "y" })
        );
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Tickets.CreateAsync(
                new NewTicketInput
                {
                    CustomerId = _acme,
                    RequesterId = _wile,
                    Subject = "s",
                    Description = "d",
                }
            )
        );
        var ticket = await Tickets.GetAsync(id);
        Assert.Equal(TicketStatus.InProgress, ticket.Status);
        Assert.Equal("Still broken", ticket.Timeline.Last(e => e.Kind == TicketActivityKind.Comment).Body);
    }

    [Fact]
    public async Task Create_RefusesARequesterWhoIsNotAPortalUserOfThatCustomer()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Tickets.CreateAsync(
                new NewTicketInput
                {
                    CustomerId = _acme,
                    RequesterId = _hank,
                    Subject = "Wrong requester",
                    Description = "d",
                }
            )
        );
        var agentAsRequester = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Tickets.CreateAsync(
                new NewTicketInput
                {
                    CustomerId = _acme,
                    RequesterId = _agent,
                    Subject = "Agent requester",
                    Description = "d",
                }
            )
        );

        Assert.True(error.Errors.ContainsKey(nameof(NewTicketInput.RequesterId)));
        Assert.True(agentAsRequester.Errors.ContainsKey(nameof(NewTicketInput.RequesterId)));
        Assert.Equal(0, (await Tickets.ListAsync(new TicketQuery())).TotalCount);
    }

    [Fact]
    public async Task List_FiltersByStatusPriorityCustomerAndSearch()
    {
        var skates = await OpenAsync(_acme, _wile, "Rocket skates exploding", TicketPriority.High);
        var anvil = await OpenAsync(_acme, _wile, "Anvil delivery 100% late");
        var payroll = await OpenAsync(_globex, _hank, "Payroll export");
        await Tickets.ChangeStatusAsync(anvil, TicketStatus.Closed);

        Assert.Equal([skates, payroll], await IdsAsync(new TicketQuery(Statuses: Ticket.OpenStatuses)));
        Assert.Equal([skates], await IdsAsync(new TicketQuery(Priority: TicketPriority.High)));
        Assert.Equal([skates, anvil], await IdsAsync(new TicketQuery(CustomerId: _acme)));
        Assert.Equal([skates], await IdsAsync(new TicketQuery(Search: "SKATES")));
        Assert.Equal([anvil], await IdsAsync(new TicketQuery(Search: "100%")));
        Assert.Equal([payroll], await IdsAsync(new TicketQuery(Search: $"#{payroll}")));
    }

    [Fact]
    public async Task ChangesAreRecordedOnTheTimelineInOrder()
    {
        var id = await OpenAsync(_acme, _wile, "Rocket skates");
        await Tickets.ChangeStatusAsync(id, TicketStatus.InProgress);
        await Tickets.ChangePriorityAsync(id, TicketPriority.Critical);
        await Tickets.EditAsync(id, new TicketEditInput { Subject = "Rocket skates (batch 7)", Description = "Exploding" });

        var ticket = await Tickets.GetAsync(id);

        Assert.Equal(
            [TicketActivityKind.Created, TicketActivityKind.StatusChanged, TicketActivityKind.PriorityChanged, TicketActivityKind.Edited],
            ticket.Timeline.Select(e => e.Kind)
        );
        Assert.Equal("New → In progress", ticket.Timeline[1].Body);
        Assert.Equal("agent", ticket.Timeline[0].ActorName);
        Assert.Equal("Rocket skates (batch 7)", ticket.Subject);
    }

    [Fact]
    public async Task AnonymousCallers_SeeNoTickets()
    {
        var id = await OpenAsync(_acme, _wile, "Rocket skates");
        _host.Actor.Current = Actor.Anonymous;

        await Assert.ThrowsAsync<AccessDeniedException>(() => Tickets.ListAsync(new TicketQuery()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Tickets.GetAsync(id));
    }

    private Task<int> OpenAsync(int customerId, string requesterId, string subject, TicketPriority priority = TicketPriority.Medium) =>
        Tickets.CreateAsync(
            new NewTicketInput
            {
                CustomerId = customerId,
                RequesterId = requesterId,
                Subject = subject,
                Description = $"About {subject}",
                Priority = priority,
            }
        );

    /// <summary>Matching ticket ids in ascending order (ids are assigned in creation order).</summary>
    private async Task<int[]> IdsAsync(TicketQuery query) => [.. (await Tickets.ListAsync(query)).Items.Select(t => t.Id).Order()];

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public sealed class OnSqlite() : TicketServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : TicketServiceTests(postgres);
}
