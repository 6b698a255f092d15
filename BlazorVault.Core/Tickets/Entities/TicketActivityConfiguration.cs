using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Tickets.Entities;

internal sealed class TicketActivityConfiguration : IEntityTypeConfiguration<TicketActivity>
{
    public void Configure(EntityTypeBuilder<TicketActivity> builder)
    {
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.Body).HasMaxLength(TicketActivity.BodyMaxLength);
        builder.Property(a => a.ActorId).HasMaxLength(450).IsRequired();
        builder.Property(a => a.ActorName).HasMaxLength(256).IsRequired();
        builder.HasIndex(a => new { a.TicketId, a.CreatedAt });
    }
}
