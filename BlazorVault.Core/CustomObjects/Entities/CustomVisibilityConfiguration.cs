using BlazorVault.Core.Customers.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.CustomObjects.Entities;

internal sealed class CustomVisibilityConfiguration : IEntityTypeConfiguration<CustomVisibility>
{
    public void Configure(EntityTypeBuilder<CustomVisibility> builder)
    {
        // Restrict: removing the last customer of a restriction must not open the table or field to everyone.
        builder.HasOne<Customer>().WithMany().HasForeignKey(v => v.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => new { v.TableId, v.CustomerId });
        builder.HasIndex(v => new { v.FieldId, v.CustomerId });
    }
}
