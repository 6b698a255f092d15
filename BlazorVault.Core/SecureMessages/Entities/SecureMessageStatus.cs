namespace BlazorVault.Core.SecureMessages.Entities;

public enum SecureMessageStatus
{
    Active,
    Viewed,
    Locked,
    Expired,
    Revoked,
}
