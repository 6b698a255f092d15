namespace BlazorVault.Core.Customers.Entities;

/// <summary>A customer organisation (the guides' "Area"): its portal users, tickets and stored passwords hang off it.</summary>
public sealed class Customer
{
    public const int NameMaxLength = 200;
    public const int ReferenceMaxLength = 50;
    public const int PhoneMaxLength = 50;
    public const int AddressMaxLength = 1000;
    public const int NotesMaxLength = 4000;

    public int Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Upper-case name: unique, and the index that search and sorting use.</summary>
    public string NormalizedName { get; private set; } = "";

    public string? Reference { get; private set; }

    public string? Email { get; private set; }

    public string? Phone { get; private set; }

    public string? Website { get; private set; }

    public string? Address { get; private set; }

    public string? Notes { get; private set; }

    public bool IsActive { get; private set; } = true;

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public static string Normalize(string name) => name.Trim().ToUpperInvariant();

    public static Customer Create(CustomerFields fields, DateTime now)
    {
        var customer = new Customer { CreatedAt = now };
        customer.Update(fields, now);
        return customer;
    }

    public void Update(CustomerFields fields, DateTime now)
    {
        Name = fields.Name;
        NormalizedName = Normalize(fields.Name);
        Reference = fields.Reference;
        Email = fields.Email;
        Phone = fields.Phone;
        Website = fields.Website;
        Address = fields.Address;
        Notes = fields.Notes;
        IsActive = fields.IsActive;
        UpdatedAt = now;
    }
}
