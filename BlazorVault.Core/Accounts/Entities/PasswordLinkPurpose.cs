namespace BlazorVault.Core.Accounts.Entities;

public enum PasswordLinkPurpose
{
    Reset,
    Welcome,
}
