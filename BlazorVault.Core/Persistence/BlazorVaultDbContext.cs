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
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Persistence;

/// <remarks>
/// Migrations are generated, never hand-written:
/// <c>dotnet ef migrations add NAME --project BlazorVault.Core --startup-project BlazorVault --output-dir Persistence/Migrations</c>
/// <para>
/// The model is compiled (Persistence/CompiledModel), so a start skips building it from the configurations; EF finds it by its
/// assembly attribute. After any change to an entity or its configuration, regenerate it (a test fails until then):
/// <c>dotnet ef dbcontext optimize --project BlazorVault.Core --startup-project BlazorVault --output-dir Persistence/CompiledModel
/// --namespace BlazorVault.Core.Persistence.CompiledModel</c>
/// </para>
/// </remarks>
public sealed class BlazorVaultDbContext(DbContextOptions<BlazorVaultDbContext> options) : IdentityDbContext<ApplicationUser>(options)
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

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(BlazorVaultDbContext).Assembly);
    }
}
