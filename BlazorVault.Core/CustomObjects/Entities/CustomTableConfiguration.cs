using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.CustomObjects.Entities;

internal sealed class CustomTableConfiguration : IEntityTypeConfiguration<CustomTable>
{
    public void Configure(EntityTypeBuilder<CustomTable> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(CustomTable.NameMaxLength);
        builder.HasIndex(t => t.Name).IsUnique();
        builder.Property(t => t.LinkedEntity).HasConversion<string>().HasMaxLength(20);
        builder.HasMany(t => t.Fields).WithOne().HasForeignKey(f => f.TableId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Visibility).WithOne().HasForeignKey(v => v.TableId).OnDelete(DeleteBehavior.Cascade);
        builder.HasData(CustomObjectsSeed.PasswordsTable);
    }
}
