using System.Globalization;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Audit.Entities;
using BlazorVault.Core.Crypto.Entities;
using BlazorVault.Core.Customers.Entities;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.Jobs.Entities;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.SecureMessages.Entities;
using BlazorVault.Core.Settings.Entities;
using BlazorVault.Core.Tickets.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BlazorVault.Core.Persistence;

/// <remarks>
/// Migrations are generated, never hand-written, one set per provider (<see cref="DatabaseProvider"/>); a model change
/// gets a migration in both. SQLite, in Core:
/// <c>dotnet ef migrations add NAME --project BlazorVault.Core --startup-project BlazorVault --output-dir Persistence/Migrations</c>
/// PostgreSQL, in its own assembly (no server is contacted; the connection string only selects the provider):
/// <c>Database__Provider=PostgreSQL ConnectionStrings__BlazorVault="Host=localhost" dotnet ef migrations add NAME
/// --project BlazorVault.Core.PostgresMigrations --startup-project BlazorVault --output-dir Migrations</c>
/// <para>
/// On SQLite the model is compiled (Persistence/CompiledModel, chosen with UseModel, so PostgreSQL builds its own), and a
/// start skips building it from the configurations. After any change to an entity or its configuration, regenerate it and
/// delete the generated BlazorVaultDbContextAssemblyAttributes.cs (a test fails until then):
/// <c>dotnet ef dbcontext optimize --project BlazorVault.Core --startup-project BlazorVault --output-dir Persistence/CompiledModel
/// --namespace BlazorVault.Core.Persistence.CompiledModel</c>
/// </para>
/// </remarks>
public sealed class BlazorVaultDbContext(DbContextOptions<BlazorVaultDbContext> options)
    : IdentityDbContext<ApplicationUser>(options),
        IDataProtectionKeyContext
{
    public DbSet<InstallationState> InstallationStates => Set<InstallationState>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketActivity> TicketActivities => Set<TicketActivity>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();
    public DbSet<SettingsEntry> Settings => Set<SettingsEntry>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
    public DbSet<StoredSecret> Secrets => Set<StoredSecret>();
    public DbSet<EncryptionKeyRecord> EncryptionKeys => Set<EncryptionKeyRecord>();
    public DbSet<EncryptionState> EncryptionStates => Set<EncryptionState>();
    public DbSet<CustomTable> CustomTables => Set<CustomTable>();
    public DbSet<CustomTableField> CustomTableFields => Set<CustomTableField>();
    public DbSet<CustomVisibility> CustomVisibility => Set<CustomVisibility>();
    public DbSet<CustomerField> CustomerFields => Set<CustomerField>();
    public DbSet<CustomerFieldValue> CustomerFieldValues => Set<CustomerFieldValue>();
    public DbSet<CustomRow> CustomRows => Set<CustomRow>();
    public DbSet<CustomValue> CustomValues => Set<CustomValue>();
    public DbSet<SecureMessage> SecureMessages => Set<SecureMessage>();
    public DbSet<PasswordHistoryEntry> PasswordHistory => Set<PasswordHistoryEntry>();
    public DbSet<PasswordLink> PasswordLinks => Set<PasswordLink>();
    public DbSet<OutboxEmail> OutboxEmails => Set<OutboxEmail>();

    /// <summary>Data Protection's key ring, sealed by the certificate; on PostgreSQL only (SQLite keeps it in the key folder).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<AgentGroup> AgentGroups => Set<AgentGroup>();
    public DbSet<AgentGroupMember> AgentGroupMembers => Set<AgentGroupMember>();
    public DbSet<AgentGroupCustomer> AgentGroupCustomers => Set<AgentGroupCustomer>();
    public DbSet<AgentGroupTable> AgentGroupTables => Set<AgentGroupTable>();
    public DbSet<AccessRequest> AccessRequests => Set<AccessRequest>();
    public DbSet<AccessNotice> AccessNotices => Set<AccessNotice>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(BlazorVaultDbContext).Assembly);
        if (Database.IsNpgsql())
        {
            StartIdentitiesAfterSeededRows(builder);
            KeepAuditTimesToTheTick(builder);
        }
    }

    /// <summary>
    /// An event's hash covers its time to the tick (100 ns) and PostgreSQL's timestamps keep microseconds: events written on
    /// SQLite and moved here (<see cref="DatabaseMove"/>) would no longer match their hashes. So PostgreSQL stores the ticks.
    /// </summary>
    private static void KeepAuditTimesToTheTick(ModelBuilder builder) =>
        builder
            .Entity<AuditEvent>()
            .Property(e => e.OccurredAt)
            .HasConversion(time => time.Ticks, ticks => new DateTime(ticks, DateTimeKind.Utc));

    /// <summary>
    /// PostgreSQL's identity columns do not move past the ids that seed data inserts explicitly: without this the first
    /// table an admin creates would be given id 1, the seeded Passwords table's, and fail.
    /// </summary>
    private static void StartIdentitiesAfterSeededRows(ModelBuilder builder)
    {
        foreach (var entityType in builder.Model.GetEntityTypes())
        {
            if (
                entityType.FindPrimaryKey() is not { Properties: [var id] }
                || id.ValueGenerated != ValueGenerated.OnAdd
                || (id.ClrType != typeof(int) && id.ClrType != typeof(long))
            )
            {
                continue;
            }

            var seeded = entityType.GetSeedData().Select(row => Convert.ToInt64(row[id.Name], CultureInfo.InvariantCulture)).ToList();
            if (seeded.Count > 0)
            {
                builder.Entity(entityType.ClrType).Property(id.Name).HasIdentityOptions(startValue: seeded.Max() + 1);
            }
        }
    }
}
