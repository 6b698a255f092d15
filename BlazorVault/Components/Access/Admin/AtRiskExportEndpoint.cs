using System.Globalization;
using BlazorVault.Components.Audit.Admin;
using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Security;

namespace BlazorVault.Components.Access.Admin;

/// <summary>
/// GET /config/at-risk/export.csv?agent=…&amp;from=…&amp;to=…: the at-risk report as CSV, with the audit export's cell
/// escaping (no spreadsheet formulas). Dates are whole days, both included, as the page shows them.
/// </summary>
internal static class AtRiskExportEndpoint
{
    public const string Path = "/config/at-risk/export.csv";

    public static void MapAtRiskExport(this IEndpointRouteBuilder endpoints) =>
        endpoints
            .MapGet(
                Path,
                async (HttpContext context, AtRiskReportService report, string agent, DateTime? from, DateTime? to) =>
                {
                    IReadOnlyList<AtRiskPassword> passwords;
                    try
                    {
                        passwords = await report.GetAsync(Query(agent, from, to), context.RequestAborted);
                    }
                    catch (NotFoundException)
                    {
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        return;
                    }

                    context.Response.ContentType = "text/csv; charset=utf-8";
                    context.Response.Headers.ContentDisposition =
                        $"attachment; filename=\"blazorvault-at-risk-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
                    await using var writer = new StreamWriter(context.Response.Body, leaveOpen: true);
                    await writer.WriteLineAsync(
                        "customer_id,customer,table,row_id,row,field,last_revealed_at_utc,last_action,needs_rotation,rotation_reason"
                    );
                    foreach (var p in passwords)
                    {
                        await writer.WriteLineAsync(
                            string.Join(
                                ',',
                                p.CustomerId.ToString(CultureInfo.InvariantCulture),
                                AuditExportEndpoint.Cell(p.CustomerName),
                                AuditExportEndpoint.Cell(p.TableName),
                                p.RowId.ToString(CultureInfo.InvariantCulture),
                                AuditExportEndpoint.Cell(p.RowLabel),
                                AuditExportEndpoint.Cell(p.FieldLabel),
                                p.LastRevealedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                                AuditExportEndpoint.Cell(p.LastAction),
                                p.NeedsRotation ? "yes" : "no",
                                AuditExportEndpoint.Cell(p.RotationReason)
                            )
                        );
                    }
                }
            )
            .RequireAuthorization(Policies.Admin);

    /// <summary>
    /// The report's query for whole days: <paramref name="from"/> from its midnight, <paramref name="to"/> up to its end.
    /// </summary>
    public static AtRiskQuery Query(string agentId, DateTime? from, DateTime? to) =>
        new(
            agentId,
            from is { } f ? DateTime.SpecifyKind(f.Date, DateTimeKind.Utc) : null,
            to is { } t ? DateTime.SpecifyKind(t.Date.AddDays(1), DateTimeKind.Utc) : null
        );

    /// <summary>The export's address for the report the page shows.</summary>
    public static string Href(string agentId, DateTime? from, DateTime? to) =>
        $"{Path}?agent={Uri.EscapeDataString(agentId)}"
        + (from is { } f ? $"&from={f:yyyy-MM-dd}" : "")
        + (to is { } t ? $"&to={t:yyyy-MM-dd}" : "");
}
