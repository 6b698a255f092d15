using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Settings.Entities;

internal sealed class SettingsEntryConfiguration : IEntityTypeConfiguration<SettingsEntry>
{
    public void Configure(EntityTypeBuilder<SettingsEntry> builder)
    {
        builder.HasKey(s => s.Section);
        builder.Property(s => s.Section).HasMaxLength(64);
        builder.Property(s => s.Json).HasMaxLength(16_000).IsRequired();
        builder.Property(s => s.UpdatedBy).HasMaxLength(256).IsRequired();
    }
}
