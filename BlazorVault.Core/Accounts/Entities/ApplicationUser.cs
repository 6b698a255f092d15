using BlazorVault.Core.Customers.Entities;
using Microsoft.AspNetCore.Identity;

namespace BlazorVault.Core.Accounts.Entities;

/// <summary>An agent, admin or portal user. Portal users belong to exactly one customer.</summary>
public sealed class ApplicationUser : IdentityUser
{
    public const int DisplayNameMaxLength = 200;

    [PersonalData]
    public string DisplayName { get; set; } = "";

    public int? CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public DateTime CreatedAt { get; set; }
}
