namespace BlazorVault.Core.Customers.Entities;

/// <summary>Validated, trimmed customer fields.</summary>
public sealed record CustomerFields(
    string Name,
    string? Reference,
    string? Email,
    string? Phone,
    string? Website,
    string? Address,
    string? Notes,
    bool IsActive
);
