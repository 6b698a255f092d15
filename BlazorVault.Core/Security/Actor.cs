namespace BlazorVault.Core.Security;

/// <summary>
/// Who is calling a Core service, as freshly read from the database (not from a cookie), so a disabled
/// account or a removed role takes effect on the next call.
/// </summary>
public sealed record Actor(string? UserId, string Name, IReadOnlySet<string> Roles, int? CustomerId, bool IsSystem = false)
{
    public static readonly Actor Anonymous = new(null, "Anonymous", new HashSet<string>(), null);

    /// <summary>The application itself: command-line verbs and jobs.</summary>
    public static readonly Actor System = new(null, "System", new HashSet<string> { Security.Roles.Admin }, null, IsSystem: true);

    public bool IsAuthenticated => UserId is not null || IsSystem;
    public bool IsAdmin => Roles.Contains(Security.Roles.Admin);
    public bool IsAgent => IsAdmin || Roles.Contains(Security.Roles.Agent);
    public bool IsPortalUser => !IsAgent && Roles.Contains(Security.Roles.PortalUser) && CustomerId is not null;

    public void DemandAgent()
    {
        if (!IsAgent)
        {
            throw new AccessDeniedException("This action is for agents.");
        }
    }

    public void DemandAdmin()
    {
        if (!IsAdmin)
        {
            throw new AccessDeniedException("This action is for administrators.");
        }
    }
}
