using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Customers.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Access.Entities;

internal sealed class AccessRequestConfiguration : IEntityTypeConfiguration<AccessRequest>, IEntityTypeConfiguration<AccessNotice>
{
    public void Configure(EntityTypeBuilder<AccessRequest> builder)
    {
        builder.Property(r => r.RequesterName).HasMaxLength(256).IsRequired();
        builder.Property(r => r.DeciderName).HasMaxLength(256);
        builder.Property(r => r.Reason).HasMaxLength(AccessRequest.ReasonMaxLength).IsRequired();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(r => r.RequesterId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Cascade);

        // The reveal looks for a live grant of this agent on this password.
        builder.HasIndex(r => new
        {
            r.RequesterId,
            r.RowId,
            r.FieldId,
        });
        builder.HasIndex(r => new { r.Status, r.RequestedAt });
        builder.HasIndex(r => new { r.ExpiryRecorded, r.GrantedUntil });
    }

    public void Configure(EntityTypeBuilder<AccessNotice> builder)
    {
        builder.Property(n => n.Text).HasMaxLength(AccessNotice.TextMaxLength).IsRequired();
        builder.Property(n => n.Link).HasMaxLength(AccessNotice.LinkMaxLength).IsRequired();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(n => new
        {
            n.UserId,
            n.ReadAt,
            n.Id,
        });
        builder.HasIndex(n => n.RequestId);
    }
}
