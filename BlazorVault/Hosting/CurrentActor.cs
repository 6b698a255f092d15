using BlazorVault.Core.Accounts;
using BlazorVault.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace BlazorVault.Hosting;

/// <summary>
/// The actor of the current circuit or request: the authenticated user, re-read from the database; or the system
/// in a scope that entered <see cref="SystemActorScope"/>.
/// </summary>
internal sealed class CurrentActor(
    AuthenticationStateProvider authenticationStateProvider,
    ActorResolver resolver,
    SystemActorScope systemScope
) : ICurrentActor
{
    public async Task<Actor> GetAsync(CancellationToken cancellationToken = default)
    {
        if (systemScope.IsActive)
        {
            return Actor.System;
        }

        var state = await authenticationStateProvider.GetAuthenticationStateAsync();
        return await resolver.ResolveAsync(state.User, cancellationToken);
    }
}

/// <summary>The actor for command-line verbs: the application itself.</summary>
internal sealed class SystemActor : ICurrentActor
{
    public Task<Actor> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Actor.System);
}
