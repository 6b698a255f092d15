using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.CustomObjects.Entities;

internal sealed class CustomerFieldConfiguration : IEntityTypeConfiguration<CustomerField>
{
    public void Configure(EntityTypeBuilder<CustomerField> builder)
    {
        builder.Property(f => f.Label).HasMaxLength(CustomTableField.LabelMaxLength);
        builder.Property(f => f.Type).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<CustomTable>().WithMany().HasForeignKey(f => f.LinkedTableId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(f => f.Options).HasMaxLength(4000);
        builder.HasIndex(f => f.LinkedTableId).IsUnique();
        builder.HasData(CustomObjectsSeed.PasswordsTab);
    }
}
