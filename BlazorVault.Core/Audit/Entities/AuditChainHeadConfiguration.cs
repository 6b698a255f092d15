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
