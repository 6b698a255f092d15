using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Crypto.Entities;

internal sealed class EncryptionStateConfiguration : IEntityTypeConfiguration<EncryptionState>
{
    public void Configure(EntityTypeBuilder<EncryptionState> builder)
    {
        builder.ToTable("EncryptionState");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.ActiveThumbprint).HasMaxLength(64);
        builder.Property(s => s.RewrapRequestedBy).HasMaxLength(256);
        builder.HasData(new EncryptionState());
    }
}
