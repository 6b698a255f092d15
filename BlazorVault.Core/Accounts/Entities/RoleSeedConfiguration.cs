using BlazorVault.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Accounts.Entities;

/// <summary>The three roles exist from the first migration; fixed ids and stamps keep the model snapshot stable.</summary>
internal sealed class RoleSeedConfiguration : IEntityTypeConfiguration<IdentityRole>
{
    public void Configure(EntityTypeBuilder<IdentityRole> builder) =>
        builder.HasData(
            Role("2c5e6f0a-5a4e-4c51-9a0e-7f1d6f0b0a01", Roles.Admin),
            Role("2c5e6f0a-5a4e-4c51-9a0e-7f1d6f0b0a02", Roles.Agent),
            Role("2c5e6f0a-5a4e-4c51-9a0e-7f1d6f0b0a03", Roles.PortalUser)
        );

    private static IdentityRole Role(string id, string name) =>
        new(name)
        {
            Id = id,
            NormalizedName = name.ToUpperInvariant(),
            ConcurrencyStamp = id,
        };
}
