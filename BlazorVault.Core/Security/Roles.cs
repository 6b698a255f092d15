namespace BlazorVault.Core.Security;

public static class Roles
{
    public const string Admin = nameof(Admin);
    public const string Agent = nameof(Agent);
    public const string PortalUser = nameof(PortalUser);

    public static readonly IReadOnlyList<string> All = [Admin, Agent, PortalUser];
}

/// <summary>Authorization policy names shared by the web host's pages and endpoints.</summary>
public static class Policies
{
    /// <summary>Agents and admins (admins are agents too).</summary>
    public const string Agent = nameof(Agent);
    public const string Admin = nameof(Admin);
    public const string PortalUser = nameof(PortalUser);
}
