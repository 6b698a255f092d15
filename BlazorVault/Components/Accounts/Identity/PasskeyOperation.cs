namespace BlazorVault.Components.Accounts.Identity;

public enum PasskeyOperation
{
    Create = 0,
    Request = 1,
}
