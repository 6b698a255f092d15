using BlazorVault.Core.Crypto;
using BlazorVault.Core.Crypto.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Persistence.Configurations;

internal sealed class StoredSecretConfiguration : IEntityTypeConfiguration<StoredSecret>
{
    public void Configure(EntityTypeBuilder<StoredSecret> builder)
    {
        builder.ToTable("Secrets");
        builder.Property(s => s.Purpose).HasMaxLength(SecretSlot.PartMaxLength);
        builder.Property(s => s.EntityId).HasMaxLength(SecretSlot.PartMaxLength);
        builder.Property(s => s.FieldId).HasMaxLength(SecretSlot.PartMaxLength);
        builder.Property(s => s.CertificateThumbprint).HasMaxLength(64);
        builder.Property(s => s.Revision).IsConcurrencyToken();
        builder.HasIndex(s => new { s.Purpose, s.EntityId, s.FieldId }).IsUnique();
        builder.HasIndex(s => new { s.CertificateThumbprint, s.Id });
    }
}

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
