using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;

namespace BlazorVault.Hosting;

/// <summary>Tells the audit log where each request comes from (after forwarded headers are applied).</summary>
internal static class AuditOriginMiddleware
{
    public static AuditOrigin From(HttpContext context) =>
        new(
            context.Connection.RemoteIpAddress?.ToString(),
            context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null
        );

    public static IApplicationBuilder UseAuditOrigin(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                context.RequestServices.GetRequiredService<AuditOriginHolder>().Current = From(context);
                await next(context);
            }
        );
}
