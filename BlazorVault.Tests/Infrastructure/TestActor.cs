using BlazorVault.Core.Accounts;
using BlazorVault.Core.Security;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>The actor the Core services see in a test; switch it with <see cref="Current"/>.</summary>
public sealed class TestActor : ICurrentActor
{
    public Actor Current { get; set; } = Actor.System;

    public Task<Actor> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Current);
}

/// <summary>Resolves the real actor for a user id, as the web host does, so roles and lockout come from the database.</summary>
public static class TestActorExtensions
{
    public static async Task ActAsAsync(this CoreTestHost host, string userId) =>
        host.Actor.Current = await host.Get<ActorResolver>().ResolveAsync(userId);
}
