using BlazorVault.Core.Accounts;
using Microsoft.AspNetCore.Diagnostics;

namespace BlazorVault.Hosting;

/// <summary>
/// Until the first administrator exists, every page leads to the one-time setup page; afterwards the setup
/// page answers 404.
/// </summary>
internal static class FirstRunRedirect
{
    public const string SetupPath = "/setup";

    public static IApplicationBuilder UseFirstRunRedirect(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                var path = context.Request.Path;
                var setup = context.RequestServices.GetRequiredService<SetupState>();
                if (path.StartsWithSegments(SetupPath))
                {
                    if (!await setup.IsSetupRequiredAsync(context.RequestAborted))
                    {
                        // Re-executing a POST as the "not found" page would fail antiforgery; a bare 404 says enough.
                        if (
                            !HttpMethods.IsGet(context.Request.Method) && context.Features.Get<IStatusCodePagesFeature>() is { } statusPages
                        )
                        {
                            statusPages.Enabled = false;
                        }

                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        return;
                    }

                    await next(context);
                    return;
                }

                var passThrough =
                    path.StartsWithSegments("/_framework")
                    || path.StartsWithSegments("/_content")
                    || path.StartsWithSegments("/_blazor")
                    || Path.HasExtension(path.Value);
                if (!passThrough && await setup.IsSetupRequiredAsync(context.RequestAborted))
                {
                    context.Response.Redirect(SetupPath);
                    return;
                }

                await next(context);
            }
        );
}
