using BlazorVault.Core.Tickets.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.SecureMessages.Entities;

internal sealed class SecureMessageConfiguration : IEntityTypeConfiguration<SecureMessage>
{
    public void Configure(EntityTypeBuilder<SecureMessage> builder)
    {
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Selector).HasMaxLength(32);
        builder.HasIndex(m => m.Selector).IsUnique();
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.CreatedByName).HasMaxLength(256);
        builder.Property(m => m.ViewedFromIp).HasMaxLength(64);
        builder.Property(m => m.RecipientId).HasMaxLength(450);
        builder.HasOne<Ticket>().WithMany().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.Status, m.ExpiresAt });
        builder.HasIndex(m => m.TicketId);
    }
}
