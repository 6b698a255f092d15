using BlazorVault.Core.Customers.Entities;
using BlazorVault.Core.CustomObjects.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorVault.Core.Persistence.Configurations;

internal sealed class CustomTableConfiguration : IEntityTypeConfiguration<CustomTable>
{
    public void Configure(EntityTypeBuilder<CustomTable> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(CustomTable.NameMaxLength);
        builder.HasIndex(t => t.Name).IsUnique();
        builder.Property(t => t.LinkedEntity).HasConversion<string>().HasMaxLength(20);
        builder.HasMany(t => t.Fields).WithOne().HasForeignKey(f => f.TableId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Visibility).WithOne().HasForeignKey(v => v.TableId).OnDelete(DeleteBehavior.Cascade);
        builder.HasData(new CustomTable
        {
            Id = CustomObjectsSeed.PasswordsTableId,
            Name = "Passwords",
            LinkedEntity = CustomEntity.Customer,
            CreatedAt = CustomObjectsSeed.SeededAt,
        });
    }
}

/// <summary>
/// First run: the "Passwords" table with the fields the Halo guide recommends, and the Customer field of type Table
/// that makes it a tab on every customer.
/// </summary>
internal static class CustomObjectsSeed
{
    public const int PasswordsTableId = 1;
    public static readonly DateTime SeededAt = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly CustomTableField[] Fields =
    [
        new() { Id = 1, TableId = PasswordsTableId, Order = 1, Label = "Type of password", Type = CustomFieldType.SingleSelect, Options = "Email\nDomain / Active Directory\nMicrosoft 365\nWi-Fi\nRouter / firewall\nServer / local admin\nApplication\nWebsite\nOther" },
        new() { Id = 2, TableId = PasswordsTableId, Order = 2, Label = "User", Type = CustomFieldType.User },
        new() { Id = 3, TableId = PasswordsTableId, Order = 3, Label = "Username", Type = CustomFieldType.Text },
        new() { Id = 4, TableId = PasswordsTableId, Order = 4, Label = "Password", Type = CustomFieldType.Password, Required = true },
        new() { Id = 5, TableId = PasswordsTableId, Order = 5, Label = "URL", Type = CustomFieldType.Url },
        new() { Id = 6, TableId = PasswordsTableId, Order = 6, Label = "Notes", Type = CustomFieldType.Multiline },
    ];
}

internal sealed class CustomTableFieldConfiguration : IEntityTypeConfiguration<CustomTableField>
{
    public void Configure(EntityTypeBuilder<CustomTableField> builder)
    {
        builder.Property(f => f.Label).HasMaxLength(CustomTableField.LabelMaxLength);
        builder.Property(f => f.Type).HasConversion<string>().HasMaxLength(20);
        builder.Property(f => f.Options).HasMaxLength(4000);
        builder.HasMany(f => f.Visibility).WithOne().HasForeignKey(v => v.FieldId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => new { f.TableId, f.Order });
        builder.HasData(CustomObjectsSeed.Fields);
    }
}

internal sealed class CustomVisibilityConfiguration : IEntityTypeConfiguration<CustomVisibility>
{
    public void Configure(EntityTypeBuilder<CustomVisibility> builder)
    {
        // Restrict: removing the last customer of a restriction must not open the table or field to everyone.
        builder.HasOne<Customer>().WithMany().HasForeignKey(v => v.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => new { v.TableId, v.CustomerId });
        builder.HasIndex(v => new { v.FieldId, v.CustomerId });
    }
}

internal sealed class CustomerFieldConfiguration : IEntityTypeConfiguration<CustomerField>
{
    public void Configure(EntityTypeBuilder<CustomerField> builder)
    {
        builder.Property(f => f.Label).HasMaxLength(CustomTableField.LabelMaxLength);
        builder.Property(f => f.Type).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<CustomTable>().WithMany().HasForeignKey(f => f.LinkedTableId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(f => f.Options).HasMaxLength(4000);
        builder.HasIndex(f => f.LinkedTableId).IsUnique();
        builder.HasData(new CustomerField { Id = 1, Label = "Passwords", Type = CustomFieldType.Table, LinkedTableId = CustomObjectsSeed.PasswordsTableId, Order = 1 });
    }
}

internal sealed class CustomerFieldValueConfiguration : IEntityTypeConfiguration<CustomerFieldValue>
{
    public void Configure(EntityTypeBuilder<CustomerFieldValue> builder)
    {
        builder.HasKey(v => new { v.CustomerFieldId, v.CustomerId });
        builder.Property(v => v.Text).HasMaxLength(CustomValue.TextMaxLength);
        builder.HasOne<CustomerField>().WithMany().HasForeignKey(v => v.CustomerFieldId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Customer>().WithMany().HasForeignKey(v => v.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomRowConfiguration : IEntityTypeConfiguration<CustomRow>
{
    public void Configure(EntityTypeBuilder<CustomRow> builder)
    {
        builder.Property(r => r.CreatedBy).HasMaxLength(256);
        builder.Property(r => r.UpdatedBy).HasMaxLength(256);
        builder.HasOne<CustomTable>().WithMany().HasForeignKey(r => r.TableId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.Values).WithOne().HasForeignKey(v => v.RowId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.TableId, r.CustomerId, r.Id });
    }
}

internal sealed class CustomValueConfiguration : IEntityTypeConfiguration<CustomValue>
{
    public void Configure(EntityTypeBuilder<CustomValue> builder)
    {
        builder.HasKey(v => new { v.RowId, v.FieldId });
        builder.Property(v => v.Text).HasMaxLength(CustomValue.TextMaxLength);
        builder.Property(v => v.SearchText).HasMaxLength(CustomValue.TextMaxLength);
        builder.Property(v => v.SecretChangedBy).HasMaxLength(256);
        builder.Property(v => v.LastRevealedBy).HasMaxLength(256);
        builder.HasOne<CustomTableField>().WithMany().HasForeignKey(v => v.FieldId).OnDelete(DeleteBehavior.Restrict);
    }
}
