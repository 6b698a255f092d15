using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.CustomObjects.Entities;

internal sealed class CustomValueConfiguration : IEntityTypeConfiguration<CustomValue>
{
    public void Configure(EntityTypeBuilder<CustomValue> builder)
    {
        builder.HasKey(v => new { v.RowId, v.FieldId });
        builder.Property(v => v.Text).HasMaxLength(CustomValue.TextMaxLength);
        builder.Property(v => v.SearchText).HasMaxLength(CustomValue.TextMaxLength);
        builder.Property(v => v.SecretChangedBy).HasMaxLength(256);
        builder.Property(v => v.LastRevealedBy).HasMaxLength(256);
        builder.Property(v => v.RotationRequestedBy).HasMaxLength(256);
        builder.Property(v => v.RotationReason).HasMaxLength(CustomValue.RotationReasonMaxLength);
        builder.HasOne<CustomTableField>().WithMany().HasForeignKey(v => v.FieldId).OnDelete(DeleteBehavior.Restrict);
    }
}
