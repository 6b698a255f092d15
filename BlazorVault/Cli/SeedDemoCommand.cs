using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Core.Tickets;
using BlazorVault.Core.Tickets.Entities;
using BlazorVault.Core.Tickets.Models;
using BlazorVault.Hosting;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Cli;

/// <summary>
/// <c>seed-demo</c>: demo customers with portal users and tickets, two agents and (when none exists) an
/// administrator, all created through the Core services. Refuses when customers exist, unless <c>--force</c>.
/// </summary>
internal sealed class SeedDemoCommand(string? password, int? customerCount, bool force) : ICliCommand
{
    private const string TierOne = "Tier 1";
    private const string Seniors = "Senior technicians";

    private static readonly (string Name, string Domain)[] DemoCustomers =
    [
        ("Northwind Traders", "northwind.example"),
        ("Contoso Ltd", "contoso.example"),
        ("Fabrikam Inc", "fabrikam.example"),
        ("Adventure Works", "adventure-works.example"),
        ("Tailspin Toys", "tailspin.example"),
        ("Wide World Importers", "wideworld.example"),
    ];

    private static readonly string[] FirstNames =
    [
        "Olivia",
        "Noah",
        "Amelia",
        "Liam",
        "Isla",
        "Ethan",
        "Mia",
        "Lucas",
        "Ava",
        "Mason",
        "Sofia",
        "Leo",
    ];
    private static readonly string[] LastNames =
    [
        "Walker",
        "Patel",
        "Nguyen",
        "Jones",
        "Schmidt",
        "Rossi",
        "Kowalski",
        "Silva",
        "Dubois",
        "Okafor",
        "Larsen",
        "Tanaka",
    ];

    private static readonly (string Subject, string Description, TicketPriority Priority)[] DemoTickets =
    [
        ("Reset VPN password", "I cannot connect to the VPN since this morning; it says my password is wrong.", TicketPriority.High),
        ("Printer offline on floor 2", "The HP printer near reception shows offline for everyone.", TicketPriority.Medium),
        (
            "New starter: laptop and accounts",
            "Please prepare a laptop, email and CRM access for our new hire starting Monday.",
            TicketPriority.Low
        ),
        ("Shared mailbox access", "Please give me access to the accounts@ shared mailbox.", TicketPriority.Medium),
    ];

    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        var count = customerCount ?? DemoCustomers.Length;
        if (count < 0 || count > 1_000_000)
        {
            await error.WriteLineAsync("--customers must be between 0 and 1000000.");
            return 2;
        }

        await StartupTasks.InitializeAsync(services);
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = await sp.GetRequiredService<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync();
        await using (db)
        {
            if (!force && await db.Customers.AnyAsync())
            {
                await error.WriteLineAsync(
                    "The database already has customers; seed-demo only fills an empty installation. Use --force to add the demo data "
                        + "anyway."
                );
                return 1;
            }
        }

        if (password is not null && password.Length < 12)
        {
            await error.WriteLineAsync("--password must be at least 12 characters (the password policy's minimum).");
            return 2;
        }

        var accounts = new List<(string Role, string Email, string Password)>();
        try
        {
            // Every demo account gets a welcome email with a set-password link: without an address for links, none is made.
            sp.GetRequiredService<PublicAddress>().Demand(await sp.GetRequiredService<SettingsService>().GetAsync<EmailSettings>());
            await SeedAsync(sp, count, accounts);
        }
        catch (ValidationFailedException ex)
        {
            await error.WriteLineAsync($"Could not seed the demo data: {ex.Message}");
            return 1;
        }

        await output.WriteLineAsync("Demo data created. Accounts (passwords are shown once):");
        foreach (var (role, email, pw) in accounts)
        {
            await output.WriteLineAsync($"  {role, -12} {email, -40} {pw}");
        }

        return 0;
    }

    private async Task SeedAsync(IServiceProvider sp, int count, List<(string, string, string)> accounts)
    {
        var customers = sp.GetRequiredService<CustomerService>();
        var portalUsers = sp.GetRequiredService<PortalUserService>();
        var agents = sp.GetRequiredService<AgentService>();
        var setup = sp.GetRequiredService<SetupService>();
        var tickets = sp.GetRequiredService<TicketService>();
        var state = sp.GetRequiredService<SetupState>();

        string NextPassword() => password ?? PasswordGenerator.Generate();

        if (await state.IsSetupRequiredAsync())
        {
            var pw = NextPassword();
            await setup.CreateAdminAsync(
                new NewAccountInput
                {
                    DisplayName = "Dana Admin",
                    Email = "admin@example.com",
                    Password = pw,
                }
            );
            accounts.Add(("Admin", "admin@example.com", pw));
        }

        var existingAgents = (await agents.ListAsync()).Select(a => a.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, email) in new[] { ("Alex Agent", "alex.agent@example.com"), ("Sam Support", "sam.support@example.com") })
        {
            if (existingAgents.Contains(email))
            {
                continue;
            }

            var pw = NextPassword();
            await agents.CreateAsync(
                new NewAccountInput
                {
                    DisplayName = name,
                    Email = email,
                    Password = pw,
                },
                isAdmin: false
            );
            accounts.Add(("Agent", email, pw));
        }

        var existing = (await customers.ListAsync(new CustomerQuery(IncludeInactive: true, PageSize: Paging.MaxPageSize)))
            .Items.Select(c => c.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var named = DemoCustomers.Take(count).Where(c => !existing.Contains(c.Name)).ToList();
        var generated = Enumerable
            .Range(1, Math.Max(0, count - DemoCustomers.Length))
            .Select(i => $"Demo Customer {i:D6}")
            .Where(n => !existing.Contains(n));
        await customers.CreateManyAsync(
            named
                .Select(c => new CustomerInput
                {
                    Name = c.Name,
                    Email = $"info@{c.Domain}",
                    Phone = "+44 20 7946 0000",
                    Website = $"https://www.{c.Domain}",
                })
                .Concat(generated.Select(n => new CustomerInput { Name = n }))
        );

        var person = 0;
        foreach (var (name, domain) in named)
        {
            var customerId = (await customers.ListAsync(new CustomerQuery(name, PageSize: 1))).Items.Single().Id;
            var requesters = new List<string>();
            for (var i = 0; i < 2; i++, person++)
            {
                var first = FirstNames[person % FirstNames.Length];
                var last = LastNames[person % LastNames.Length];
                var email = $"{first}.{last}@{domain}".ToLowerInvariant();
                var pw = NextPassword();
                requesters.Add(
                    await portalUsers.CreateAsync(
                        customerId,
                        new NewAccountInput
                        {
                            DisplayName = $"{first} {last}",
                            Email = email,
                            Password = pw,
                        }
                    )
                );
                accounts.Add(("Portal user", email, pw));
            }

            for (var t = 0; t < DemoTickets.Length; t++)
            {
                var (subject, description, priority) = DemoTickets[(t + person) % DemoTickets.Length];
                await tickets.CreateAsync(
                    new NewTicketInput
                    {
                        CustomerId = customerId,
                        RequesterId = requesters[t % requesters.Count],
                        Subject = subject,
                        Description = description,
                        Priority = priority,
                    }
                );
            }
        }

        await SeedGroupsAsync(sp);
    }

    /// <summary>
    /// Least privilege to try at once: Sam Support in "Tier 1" (the first two customers by name, List on Passwords), Alex
    /// Agent in "Senior technicians" (every customer, Manage on every table, can approve Sam's access requests), both out of
    /// the built-in "All agents".
    /// </summary>
    private static async Task SeedGroupsAsync(IServiceProvider sp)
    {
        var groups = sp.GetRequiredService<AgentGroupService>();
        if ((await groups.ListAsync()).Any(g => g.Name is TierOne or Seniors))
        {
            return;
        }

        var agents = (await sp.GetRequiredService<AgentService>().ListAsync()).ToDictionary(
            a => a.Email,
            a => a.Id,
            StringComparer.OrdinalIgnoreCase
        );
        var sam = agents["sam.support@example.com"];
        var alex = agents["alex.agent@example.com"];
        var firstTwo = (await sp.GetRequiredService<CustomerService>().ListAsync(new CustomerQuery(PageSize: 2))).Items.Select(c => c.Id);
        var passwords = (await sp.GetRequiredService<CustomTableService>().ListAsync()).Single(t => t.Name == "Passwords").Id;
        await groups.CreateAsync(
            new AgentGroupInput
            {
                Name = TierOne,
                AllCustomers = false,
                CustomerIds = [.. firstTwo],
                MemberIds = [sam],
                OtherTables = AccessLevel.None,
                TableLevels = new() { [passwords] = AccessLevel.List },
            }
        );
        await groups.CreateAsync(
            new AgentGroupInput
            {
                Name = Seniors,
                AllCustomers = true,
                MemberIds = [alex],
                OtherTables = AccessLevel.Manage,
                CanApprove = true,
            }
        );
        var builtIn = await groups.GetAsync(AgentGroup.BuiltInId);
        await groups.UpdateAsync(
            AgentGroup.BuiltInId,
            new AgentGroupInput
            {
                Name = builtIn.Name,
                AllCustomers = builtIn.AllCustomers,
                CustomerIds = [.. builtIn.Customers.Select(c => c.Id)],
                MemberIds = [.. builtIn.Members.Select(m => m.UserId).Where(id => id != sam && id != alex)],
                OtherTables = builtIn.OtherTables,
                TableLevels = builtIn.Tables.ToDictionary(t => t.TableId, t => t.Level),
                CanApprove = builtIn.CanApprove,
            }
        );
    }
}
