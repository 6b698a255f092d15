using BlazorVault.Core.Audit;
using BlazorVault.Core.Cluster;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Audit.Entities;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.ActorId).HasMaxLength(450);
        builder.Property(e => e.ActorName).HasMaxLength(AuditEvent.TextMaxLength).IsRequired();
        builder.Property(e => e.Action).HasMaxLength(AuditEvent.ActionMaxLength).IsRequired();
        builder.Property(e => e.TargetType).HasMaxLength(64);
        builder.Property(e => e.TargetId).HasMaxLength(450);
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.Property(e => e.UserAgent).HasMaxLength(AuditEvent.TextMaxLength);
        builder.Property(e => e.Details).HasMaxLength(AuditEvent.DetailsMaxLength);
        builder.Property(e => e.Server).HasMaxLength(ClusterOptions.NodeNameMaxLength);
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(e => e.Hash).HasMaxLength(64).IsFixedLength().IsRequired();

        // No two events can extend the same event: a fork is impossible whatever the writers do.
        builder.HasIndex(e => e.PreviousHash).IsUnique();

        // Filters walk the newest events of one actor, action or customer first.
        builder.HasIndex(e => new { e.ActorId, e.Sequence });
        builder.HasIndex(e => new { e.Action, e.Sequence });
        builder.HasIndex(e => new { e.CustomerId, e.Sequence });
        builder.HasIndex(e => e.OccurredAt);
    }
}
