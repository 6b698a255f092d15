using BlazorVault.Core.Access;
using BlazorVault.Core.Common;
using BlazorVault.Core.Customers.Entities;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Tickets.Entities;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Customers;

/// <summary>Customers (the guides' "Area"): agents list, search, create and edit them.</summary>
public sealed class CustomerService(ICurrentActor currentActor, IDbContextFactory<BlazorVaultDbContext> contextFactory, TimeProvider time)
{
    public const string DuplicateName = "A customer with this name already exists.";

    /// <summary>The customers the agent's groups cover (all of them for administrators).</summary>
    public async Task<PagedResult<CustomerSummary>> ListAsync(CustomerQuery query, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        var (page, pageSize) = Paging.Normalize(query.Page, query.PageSize);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        var customers = db.Customers.AsNoTracking().InScope(db, actor, c => c.Id);
        if (!query.IncludeInactive)
        {
            customers = customers.Where(c => c.IsActive);
        }

        var search = query.Search?.Trim();
        if (!string.IsNullOrEmpty(search))
        {
            var normalized = search.ToUpperInvariant();
            customers = customers.Where(c =>
                c.NormalizedName.Contains(normalized) || (c.Reference != null && c.Reference.Contains(search))
            );
        }

        var total = await customers.CountAsync(cancellationToken);

        // The page is cut in a subquery and sorted again around it, so the counts below are computed for its rows only:
        // PostgreSQL computes a select list for every row an OFFSET skips (the last page of 10,000 customers: 20,000 counts).
        var items = await Sorted(Sorted(customers, query.Sort).Skip(page * pageSize).Take(pageSize), query.Sort)
            .Select(c => new CustomerSummary(
                c.Id,
                c.Name,
                c.Reference,
                c.Email,
                c.Phone,
                c.IsActive,
                db.Users.Count(u => u.CustomerId == c.Id),
                db.Tickets.Count(t => t.CustomerId == c.Id && Ticket.OpenStatuses.Contains(t.Status))
            ))
            .ToListAsync(cancellationToken);
        return new PagedResult<CustomerSummary>(items, total, page, pageSize);
    }

    private static IQueryable<Customer> Sorted(IQueryable<Customer> customers, CustomerSort sort) =>
        sort switch
        {
            CustomerSort.NameDescending => customers.OrderByDescending(c => c.NormalizedName),
            CustomerSort.NewestFirst => customers.OrderByDescending(c => c.Id),
            _ => customers.OrderBy(c => c.NormalizedName),
        };

    /// <summary>Active customers whose name matches, for pickers (e.g. the new-ticket form).</summary>
    public async Task<IReadOnlyList<CustomerOption>> SearchOptionsAsync(
        string? search,
        int limit = 20,
        CancellationToken cancellationToken = default
    )
    {
        var result = await ListAsync(new CustomerQuery(search, PageSize: limit), cancellationToken);
        return result.Items.Select(c => new CustomerOption(c.Id, c.Name)).ToList();
    }

    /// <summary>A customer the agent's groups cover; any other is not found, as if it did not exist.</summary>
    public async Task<CustomerDetails> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db
                .Customers.AsNoTracking()
                .Where(c => c.Id == id)
                .InScope(db, actor, c => c.Id)
                .Select(c => new CustomerDetails(
                    c.Id,
                    c.Name,
                    c.Reference,
                    c.Email,
                    c.Phone,
                    c.Website,
                    c.Address,
                    c.Notes,
                    c.IsActive,
                    c.CreatedAt,
                    c.UpdatedAt
                ))
                .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The customer");
    }

    /// <summary>The signed-in portal user's own customer: all a portal user may know about customers.</summary>
    public async Task<CustomerOption> GetOwnAsync(CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        if (!actor.IsPortalUser)
        {
            throw new AccessDeniedException("Only portal users belong to a customer.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db
            .Customers.AsNoTracking()
            .Where(c => c.Id == actor.CustomerId)
            .Select(c => new CustomerOption(c.Id, c.Name))
            .SingleAsync(cancellationToken);
    }

    public async Task<int> CreateAsync(CustomerInput input, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAgent();
        var fields = Validate(input);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await EnsureUniqueNameAsync(db, fields.Name, exceptId: null, cancellationToken);
        var customer = Customer.Create(fields, time.GetUtcNow().UtcDateTime);
        db.Customers.Add(customer);
        await SaveAsync(db, cancellationToken);
        return customer.Id;
    }

    /// <summary>Creates many customers in one transaction (imports and demo data); all or nothing.</summary>
    public async Task<int> CreateManyAsync(IEnumerable<CustomerInput> inputs, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAgent();
        var now = time.GetUtcNow().UtcDateTime;
        var customers = inputs.Select(i => Customer.Create(Validate(i), now)).ToList();
        var duplicate = customers.GroupBy(c => c.NormalizedName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ValidationFailedException(nameof(CustomerInput.Name), $"{DuplicateName} ({duplicate.First().Name})");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Customers.AddRange(customers);
        await SaveAsync(db, cancellationToken);
        return customers.Count;
    }

    public async Task UpdateAsync(int id, CustomerInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        var fields = Validate(input);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var customer =
            await db.Customers.Where(c => c.Id == id).InScope(db, actor, c => c.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The customer");
        await EnsureUniqueNameAsync(db, fields.Name, exceptId: id, cancellationToken);
        customer.Update(fields, time.GetUtcNow().UtcDateTime);
        await SaveAsync(db, cancellationToken);
    }

    internal static CustomerFields Validate(CustomerInput input)
    {
        var v = new InputValidator();
        var fields = new CustomerFields(
            v.Required(nameof(input.Name), "Name", input.Name, Customer.NameMaxLength),
            v.Optional(nameof(input.Reference), "Reference", input.Reference, Customer.ReferenceMaxLength),
            v.OptionalEmail(nameof(input.Email), input.Email),
            v.Optional(nameof(input.Phone), "Phone", input.Phone, Customer.PhoneMaxLength),
            v.OptionalUrl(nameof(input.Website), "Website", input.Website),
            v.Optional(nameof(input.Address), "Address", input.Address, Customer.AddressMaxLength),
            v.Optional(nameof(input.Notes), "Notes", input.Notes, Customer.NotesMaxLength),
            input.IsActive
        );
        v.ThrowIfInvalid();
        return fields;
    }

    private static async Task EnsureUniqueNameAsync(
        BlazorVaultDbContext db,
        string name,
        int? exceptId,
        CancellationToken cancellationToken
    )
    {
        var normalized = Customer.Normalize(name);
        if (await db.Customers.AnyAsync(c => c.NormalizedName == normalized && c.Id != exceptId, cancellationToken))
        {
            throw new ValidationFailedException(nameof(CustomerInput.Name), DuplicateName);
        }
    }

    private static async Task SaveAsync(BlazorVaultDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index caught a name created concurrently after our check.
            throw new ValidationFailedException(nameof(CustomerInput.Name), DuplicateName);
        }
    }
}
