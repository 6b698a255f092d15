namespace BlazorVault.Core.Access.Entities;

/// <summary>
/// Configuration &gt; Agent groups: agents, the customers they may meet, and a level for each custom table. An agent's
/// rights are the union of their groups'; administrators are in no group and keep full access.
/// </summary>
public sealed class AgentGroup
{
    public const int NameMaxLength = 100;

    /// <summary>The group every installation starts with: every agent, every customer, Manage on every table.</summary>
    public const int BuiltInId = 1;

    public const string BuiltInName = "All agents";

    private List<AgentGroupMember> _members = [];
    private List<AgentGroupCustomer> _customers = [];
    private List<AgentGroupTable> _tables = [];

    public AgentGroup(string name, DateTime createdAt)
    {
        Name = name;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    private AgentGroup() { }

    public int Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Every customer, including those created later; otherwise only <see cref="Customers"/>.</summary>
    public bool AllCustomers { get; private set; }

    /// <summary>The level of every table without a level of its own here, including tables created later.</summary>
    public AccessLevel OtherTables { get; private set; }

    /// <summary>Members may approve other agents' access requests.</summary>
    public bool CanApprove { get; private set; }

    public bool IsBuiltIn { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public IReadOnlyList<AgentGroupMember> Members => _members;

    public IReadOnlyList<AgentGroupCustomer> Customers => _customers;

    public IReadOnlyList<AgentGroupTable> Tables => _tables;

    /// <summary>
    /// Replaces everything the group says; the caller removes the old <see cref="Members"/>, <see cref="Customers"/> and
    /// <see cref="Tables"/> rows.
    /// </summary>
    public void Change(AgentGroupDefinition definition, DateTime now)
    {
        Name = definition.Name;
        AllCustomers = definition.AllCustomers;
        OtherTables = definition.OtherTables;
        CanApprove = definition.CanApprove;
        _members = [.. definition.MemberIds.Distinct(StringComparer.Ordinal).Select(id => new AgentGroupMember(id))];
        _customers = definition.AllCustomers ? [] : [.. definition.CustomerIds.Distinct().Select(id => new AgentGroupCustomer(id))];
        _tables = [.. definition.TableLevels.Where(t => t.Value != OtherTables).Select(t => new AgentGroupTable(t.Key, t.Value))];
        UpdatedAt = now;
    }
}

/// <summary>Everything an administrator sets on a group, already checked.</summary>
public sealed record AgentGroupDefinition(
    string Name,
    bool AllCustomers,
    AccessLevel OtherTables,
    bool CanApprove,
    IReadOnlyCollection<string> MemberIds,
    IReadOnlyCollection<int> CustomerIds,
    IReadOnlyDictionary<int, AccessLevel> TableLevels
);

public sealed class AgentGroupMember
{
    internal AgentGroupMember(string userId) => UserId = userId;

    internal AgentGroupMember(int groupId, string userId)
        : this(userId) => GroupId = groupId;

    public int GroupId { get; private set; }

    public string UserId { get; private set; }

    public AgentGroup Group { get; private set; } = default!;
}

public sealed class AgentGroupCustomer
{
    internal AgentGroupCustomer(int customerId) => CustomerId = customerId;

    public int GroupId { get; private set; }

    public int CustomerId { get; private set; }
}

public sealed class AgentGroupTable
{
    internal AgentGroupTable(int tableId, AccessLevel level)
    {
        TableId = tableId;
        Level = level;
    }

    public int GroupId { get; private set; }

    public int TableId { get; private set; }

    public AccessLevel Level { get; private set; }
}
