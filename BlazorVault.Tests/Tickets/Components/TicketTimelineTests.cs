using BlazorVault.Components.Tickets;
using BlazorVault.Core.Tickets.Entities;
using BlazorVault.Core.Tickets.Models;
using BlazorVault.Tests.Infrastructure;
using Bunit;

namespace BlazorVault.Tests.Tickets.Components;

public sealed class TicketTimelineTests : MudBunitContext
{
    [Fact]
    public void Entries_ShowWhoDidWhatAndWhen_WithInternalNotesMarked()
    {
        var at = new DateTime(2026, 11, 23, 9, 30, 0, DateTimeKind.Utc);
        IReadOnlyList<TicketActivityView> entries =
        [
            new(1, TicketActivityKind.Created, null, "Ada Admin", at),
            new(2, TicketActivityKind.InternalNote, "Vendor says batch 7", "Ada Admin", at.AddMinutes(5)),
            new(3, TicketActivityKind.Comment, "Replacement on its way", "Wile E. Coyote", at.AddMinutes(9)),
        ];

        var timeline = Render<TicketTimeline>(p => p.Add(t => t.Entries, entries));

        var rows = timeline.FindAll("[data-kind]");
        Assert.Equal(["Created", "InternalNote", "Comment"], rows.Select(r => r.GetAttribute("data-kind")));
        Assert.Contains(
            "Ada Admin created the ticket",
            rows[0].TextContent.Replace("  ", " ", StringComparison.Ordinal),
            StringComparison.Ordinal
        );
        Assert.Contains("bv-internal", rows[1].ClassName, StringComparison.Ordinal);
        Assert.DoesNotContain("bv-internal", rows[2].ClassName, StringComparison.Ordinal);
        Assert.Contains("2026-11-23 09:39 UTC", rows[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("Replacement on its way", rows[2].TextContent, StringComparison.Ordinal);
    }
}
