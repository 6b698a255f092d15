namespace BlazorVault.Core.Notifications.Entities;

public enum OutboxEmailStatus
{
    Queued,
    Sent,
    Failed,
}
