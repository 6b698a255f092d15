using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Customers.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Tickets.Entities;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.Property(t => t.Subject).HasMaxLength(Ticket.SubjectMaxLength).IsRequired();
        builder.Property(t => t.Description).HasMaxLength(Ticket.DescriptionMaxLength).IsRequired();
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(t => t.Priority).HasConversion<string>().HasMaxLength(32);
        builder.Property(t => t.RequesterId).HasMaxLength(450).IsRequired();
        builder.Property(t => t.CreatedById).HasMaxLength(450).IsRequired();
        builder.HasOne<Customer>().WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.RequesterId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(t => t.Activities).WithOne().HasForeignKey(a => a.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(t => t.Activities).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(t => new { t.CustomerId, t.UpdatedAt });
        builder.HasIndex(t => new { t.Status, t.UpdatedAt });
        builder.HasIndex(t => t.UpdatedAt);
        builder.HasIndex(t => t.RequesterId);
    }
}
