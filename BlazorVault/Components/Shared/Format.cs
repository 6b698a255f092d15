using BlazorVault.Core.Tickets.Entities;
using MudBlazor;

namespace BlazorVault.Components.Shared;

internal static class Format
{
    /// <summary>UTC from the database, shown as UTC with the zone stated: agents work across time zones.</summary>
    public static string When(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"just now", "5 minutes ago", "2 hours ago", then the date: how long ago something happened.</summary>
    public static string Ago(DateTime utc, DateTime nowUtc)
    {
        var span = nowUtc - utc;
        return span.TotalMinutes < 1 ? "just now"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} minute{((int)span.TotalMinutes == 1 ? "" : "s")} ago"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours} hour{((int)span.TotalHours == 1 ? "" : "s")} ago"
            : When(utc);
    }

    public static string TicketNumber(int id) => $"#{id}";

    public static Color StatusColor(TicketStatus status) =>
        status switch
        {
            TicketStatus.New => Color.Info,
            TicketStatus.InProgress => Color.Primary,
            TicketStatus.WaitingOnCustomer => Color.Warning,
            TicketStatus.Resolved => Color.Success,
            _ => Color.Default,
        };

    public static Color PriorityColor(TicketPriority priority) =>
        priority switch
        {
            TicketPriority.Critical => Color.Error,
            TicketPriority.High => Color.Warning,
            TicketPriority.Medium => Color.Default,
            _ => Color.Default,
        };
}
