using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.CustomObjects.Entities;

internal sealed class CustomTableFieldConfiguration : IEntityTypeConfiguration<CustomTableField>
{
    public void Configure(EntityTypeBuilder<CustomTableField> builder)
    {
        builder.Property(f => f.Label).HasMaxLength(CustomTableField.LabelMaxLength);
        builder.Property(f => f.Type).HasConversion<string>().HasMaxLength(20);
        builder.Property(f => f.Options).HasMaxLength(4000);
        builder.HasMany(f => f.Visibility).WithOne().HasForeignKey(v => v.FieldId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => new { f.TableId, f.Order });
        builder.HasData(CustomObjectsSeed.PasswordsFields);
    }
}
