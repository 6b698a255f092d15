using BlazorVault.Core.Access.Entities;

namespace BlazorVault.Core.Access.Models;

public sealed record AgentGroupSummary(
    int Id,
    string Name,
    bool IsBuiltIn,
    bool AllCustomers,
    int CustomerCount,
    int MemberCount,
    AccessLevel OtherTables,
    bool CanApprove
);

public sealed record AgentGroupMemberView(string UserId, string Name, string Email);

public sealed record AgentGroupCustomerView(int Id, string Name);

public sealed record AgentGroupTableView(int TableId, string Name, AccessLevel Level);

/// <summary>A group as its edit dialog shows it: every custom table with the group's level on it.</summary>
public sealed record AgentGroupDetails(
    int Id,
    string Name,
    bool IsBuiltIn,
    bool AllCustomers,
    AccessLevel OtherTables,
    bool CanApprove,
    IReadOnlyList<AgentGroupMemberView> Members,
    IReadOnlyList<AgentGroupCustomerView> Customers,
    IReadOnlyList<AgentGroupTableView> Tables
);

/// <summary>What an administrator submits for a group; tables not listed take <see cref="OtherTables"/>.</summary>
public sealed class AgentGroupInput
{
    public string Name { get; set; } = "";

    public bool AllCustomers { get; set; } = true;

    public List<int> CustomerIds { get; set; } = [];

    public List<string> MemberIds { get; set; } = [];

    public AccessLevel OtherTables { get; set; } = AccessLevel.List;

    public Dictionary<int, AccessLevel> TableLevels { get; set; } = [];

    public bool CanApprove { get; set; }
}
