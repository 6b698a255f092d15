using System.Globalization;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Security;

namespace BlazorVault.Components.Audit.Admin;

/// <summary>
/// GET /config/audit/export.csv: the filtered audit log as CSV, written row by row as the database returns it,
/// never built in memory. Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
/// </summary>
internal static class AuditExportEndpoint
{
    public const string Path = "/config/audit/export.csv";

    public static void MapAuditExport(this IEndpointRouteBuilder endpoints) =>
        endpoints
            .MapGet(
                Path,
                async (
                    HttpContext context,
                    AuditQueryService audit,
                    string? actor,
                    string? action,
                    int? customer,
                    DateTime? from,
                    DateTime? to
                ) =>
                {
                    var query = new AuditQuery(actor, action, customer, AsUtc(from), AsUtc(to));
                    context.Response.ContentType = "text/csv; charset=utf-8";
                    context.Response.Headers.ContentDisposition =
                        $"attachment; filename=\"blazorvault-audit-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
                    await using var writer = new StreamWriter(context.Response.Body, leaveOpen: true);
                    await writer.WriteLineAsync(
                        "sequence,occurred_at_utc,actor_id,actor,action,target_type,target_id,customer_id,customer,"
                            + "ip_address,user_agent,details,server"
                    );
                    var rows = 0;
                    await foreach (var e in audit.ExportAsync(query, context.RequestAborted))
                    {
                        await writer.WriteLineAsync(
                            string.Join(
                                ',',
                                e.Sequence.ToString(CultureInfo.InvariantCulture),
                                e.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
                                Cell(e.ActorId),
                                Cell(e.ActorName),
                                Cell(e.Action),
                                Cell(e.TargetType),
                                Cell(e.TargetId),
                                e.CustomerId?.ToString(CultureInfo.InvariantCulture) ?? "",
                                Cell(e.CustomerName),
                                Cell(e.IpAddress),
                                Cell(e.UserAgent),
                                Cell(e.Details),
                                Cell(e.Server)
                            )
                        );
                        if (++rows % 1000 == 0)
                        {
                            await writer.FlushAsync(context.RequestAborted);
                        }
                    }
                }
            )
            .RequireAuthorization(Policies.Admin);

    internal static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static DateTime? AsUtc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}
