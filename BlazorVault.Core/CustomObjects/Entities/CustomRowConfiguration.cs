using BlazorVault.Core.Customers.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.CustomObjects.Entities;

internal sealed class CustomRowConfiguration : IEntityTypeConfiguration<CustomRow>
{
    public void Configure(EntityTypeBuilder<CustomRow> builder)
    {
        builder.Property(r => r.CreatedBy).HasMaxLength(256);
        builder.Property(r => r.UpdatedBy).HasMaxLength(256);
        builder.HasOne<CustomTable>().WithMany().HasForeignKey(r => r.TableId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.Values).WithOne().HasForeignKey(v => v.RowId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new
        {
            r.TableId,
            r.CustomerId,
            r.Id,
        });
    }
}
