namespace BlazorVault.Core.Notifications.Entities;

public enum OutboxEmailKind
{
    Welcome,
    PasswordReset,
    ExpiryReminder,
    AdminLockout,
    AdminAgentReset,
    AccessRequested,
    BreakGlass,
}
