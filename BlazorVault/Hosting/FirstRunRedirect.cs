using BlazorVault.Core.Accounts;

namespace BlazorVault.Hosting;

/// <summary>Until the first administrator exists, every page leads to the one-time setup page.</summary>
internal static class FirstRunRedirect
{
    public const string SetupPath = "/setup";

    public static IApplicationBuilder UseFirstRunRedirect(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var passThrough = path.StartsWithSegments(SetupPath)
                || path.StartsWithSegments("/_framework")
                || path.StartsWithSegments("/_content")
                || path.StartsWithSegments("/_blazor")
                || Path.HasExtension(path.Value);
            if (!passThrough && await context.RequestServices.GetRequiredService<SetupState>().IsSetupRequiredAsync(context.RequestAborted))
            {
                context.Response.Redirect(SetupPath);
                return;
            }

            await next(context);
        });
}
