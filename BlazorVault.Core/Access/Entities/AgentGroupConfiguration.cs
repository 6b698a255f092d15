using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Customers.Entities;
using BlazorVault.Core.CustomObjects.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Access.Entities;

internal sealed class AgentGroupConfiguration
    : IEntityTypeConfiguration<AgentGroup>,
        IEntityTypeConfiguration<AgentGroupMember>,
        IEntityTypeConfiguration<AgentGroupCustomer>,
        IEntityTypeConfiguration<AgentGroupTable>
{
    public void Configure(EntityTypeBuilder<AgentGroup> builder)
    {
        builder.Property(g => g.Name).HasMaxLength(AgentGroup.NameMaxLength).IsRequired();
        builder.HasIndex(g => g.Name).IsUnique();
        builder.HasMany(g => g.Members).WithOne(m => m.Group).HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(g => g.Customers).WithOne().HasForeignKey(c => c.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(g => g.Tables).WithOne().HasForeignKey(t => t.GroupId).OnDelete(DeleteBehavior.Cascade);

        // Levels are numbers, so that an agent's level is the greatest of their groups'. The built-in group's members are
        // added by the migration that creates it: every agent of an existing installation.
        builder.HasData(
            new
            {
                Id = AgentGroup.BuiltInId,
                Name = AgentGroup.BuiltInName,
                AllCustomers = true,
                OtherTables = AccessLevel.Manage,
                CanApprove = false,
                IsBuiltIn = true,
                CreatedAt = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc),
                UpdatedAt = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc),
            }
        );
    }

    public void Configure(EntityTypeBuilder<AgentGroupMember> builder)
    {
        builder.HasKey(m => new { m.GroupId, m.UserId });
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);

        // The scope checks start from the agent.
        builder.HasIndex(m => m.UserId);
    }

    public void Configure(EntityTypeBuilder<AgentGroupCustomer> builder)
    {
        builder.HasKey(c => new { c.GroupId, c.CustomerId });
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.CustomerId);
    }

    public void Configure(EntityTypeBuilder<AgentGroupTable> builder)
    {
        builder.HasKey(t => new { t.GroupId, t.TableId });
        builder.HasOne<CustomTable>().WithMany().HasForeignKey(t => t.TableId).OnDelete(DeleteBehavior.Cascade);
    }
}
