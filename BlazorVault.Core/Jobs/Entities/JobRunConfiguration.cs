using BlazorVault.Core.Cluster;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Jobs.Entities;

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> builder)
    {
        builder.Property(r => r.JobKey).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Message).HasMaxLength(JobRun.MessageMaxLength);
        builder.Property(r => r.Node).HasMaxLength(ClusterOptions.NodeNameMaxLength);
        builder.HasIndex(r => new { r.JobKey, r.Id });
    }
}
