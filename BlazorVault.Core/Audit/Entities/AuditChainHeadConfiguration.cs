using BlazorVault.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Audit.Entities;

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.LastHash).HasMaxLength(64).IsFixedLength().IsRequired();

        // The append's compare-and-swap: its UPDATE names the sequence it read, and fails if the head has moved since.
        builder.Property(h => h.LastSequence).IsConcurrencyToken();
        builder.HasData(
            new AuditChainHead
            {
                Id = AuditChainHead.SingletonId,
                LastSequence = 0,
                LastHash = AuditChain.Genesis,
            }
        );
    }
}
