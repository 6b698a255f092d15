namespace BlazorVault.Core.Security;

/// <summary>Supplies the actor of the current circuit, request, command or job.</summary>
public interface ICurrentActor
{
    Task<Actor> GetAsync(CancellationToken cancellationToken = default);
}
