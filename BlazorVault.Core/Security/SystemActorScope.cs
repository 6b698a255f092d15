namespace BlazorVault.Core.Security;

/// <summary>
/// Marks a DI scope as the application's own work (jobs, command-line verbs, arranging data): every service
/// resolved in it acts as <see cref="Actor.System"/>, whatever the web host would otherwise say.
/// </summary>
public sealed class SystemActorScope
{
    public bool IsActive { get; private set; }

    public void Enter() => IsActive = true;
}
