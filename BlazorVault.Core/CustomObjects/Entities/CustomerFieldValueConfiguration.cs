using BlazorVault.Core.Customers.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.CustomObjects.Entities;

internal sealed class CustomerFieldValueConfiguration : IEntityTypeConfiguration<CustomerFieldValue>
{
    public void Configure(EntityTypeBuilder<CustomerFieldValue> builder)
    {
        builder.HasKey(v => new { v.CustomerFieldId, v.CustomerId });
        builder.Property(v => v.Text).HasMaxLength(CustomValue.TextMaxLength);
        builder.HasOne<CustomerField>().WithMany().HasForeignKey(v => v.CustomerFieldId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Customer>().WithMany().HasForeignKey(v => v.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
