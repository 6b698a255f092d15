namespace BlazorVault.Core.Accounts.Entities;

/// <summary>
/// The single row recording that first-run setup is complete. Its fixed primary key makes completion a
/// one-time event even when two setup requests race: the second insert fails.
/// </summary>
public sealed class InstallationState
{
    public const int SingletonId = 1;

    public int Id { get; private set; } = SingletonId;

    public DateTime SetupCompletedAt { get; private set; }

    public string SetupCompletedByUserId { get; private set; } = "";

    public static InstallationState Completed(DateTime at, string byUserId) =>
        new() { SetupCompletedAt = at, SetupCompletedByUserId = byUserId };
}
