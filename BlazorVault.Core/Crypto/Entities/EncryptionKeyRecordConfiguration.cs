using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Crypto.Entities;

internal sealed class EncryptionKeyRecordConfiguration : IEntityTypeConfiguration<EncryptionKeyRecord>
{
    public void Configure(EntityTypeBuilder<EncryptionKeyRecord> builder)
    {
        builder.ToTable("EncryptionKeys");
        builder.HasKey(k => k.Thumbprint);
        builder.Property(k => k.Thumbprint).HasMaxLength(64);
        builder.Property(k => k.Subject).HasMaxLength(256);
        builder.Property(k => k.BackupAcknowledgedBy).HasMaxLength(256);
    }
}
