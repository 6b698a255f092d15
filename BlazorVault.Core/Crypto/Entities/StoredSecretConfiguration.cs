using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Crypto.Entities;

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
        builder
            .HasIndex(s => new
            {
                s.Purpose,
                s.EntityId,
                s.FieldId,
            })
            .IsUnique();
        builder.HasIndex(s => new { s.CertificateThumbprint, s.Id });
    }
}
