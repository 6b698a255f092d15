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

    /// <summary>Agents see every customer; a portal user sees only their own.</summary>
    public void DemandCustomer(int customerId)
    {
        if (IsAgent)
        {
            return;
        }

        if (!IsPortalUser || CustomerId != customerId)
        {
            throw new AccessDeniedException("You do not have access to this customer.");
        }
    }
}

public sealed class AccessDeniedException(string message) : Exception(message);

/// <summary>Supplies the actor of the current circuit, request, command or job.</summary>
public interface ICurrentActor
{
    Task<Actor> GetAsync(CancellationToken cancellationToken = default);
}
