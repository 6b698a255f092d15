namespace BlazorVault.Core.Customers.Models;

public enum CustomerSort
{
    NameAscending,
    NameDescending,
    NewestFirst,
}

public sealed record CustomerQuery(
    string? Search = null,
    bool IncludeInactive = false,
    CustomerSort Sort = CustomerSort.NameAscending,
    int Page = 0,
    int PageSize = 25
);

public sealed record CustomerSummary(
    int Id,
    string Name,
    string? Reference,
    string? Email,
    string? Phone,
    bool IsActive,
    int PortalUserCount,
    int OpenTicketCount
);

public sealed record CustomerDetails(
    int Id,
    string Name,
    string? Reference,
    string? Email,
    string? Phone,
    string? Website,
    string? Address,
    string? Notes,
    bool IsActive,
    DateTime CreatedAt,
    DateTime UpdatedAt
)
{
    public CustomerInput ToInput() =>
        new()
        {
            Name = Name,
            Reference = Reference,
            Email = Email,
            Phone = Phone,
            Website = Website,
            Address = Address,
            Notes = Notes,
            IsActive = IsActive,
        };
}

/// <summary>Form model for creating or editing a customer.</summary>
public sealed class CustomerInput
{
    public string Name { get; set; } = "";

    public string? Reference { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? Website { get; set; }

    public string? Address { get; set; }

    public string? Notes { get; set; }

    public bool IsActive { get; set; } = true;
}

public sealed record CustomerOption(int Id, string Name);

/// <param name="LockedOutUntil">Set while failed sign-ins keep the account from signing in (UTC).</param>
public sealed record PortalUserSummary(
    string Id,
    string DisplayName,
    string Email,
    bool IsEnabled,
    DateTime? LockedOutUntil,
    DateTime CreatedAt
);
