namespace BlazorVault.Hosting;

/// <summary>
/// Headers on every response. Pages carry customer data, so nothing is cached, indexed or sent on as a referrer,
/// and the Content-Security-Policy allows only this origin's scripts. MudBlazor sets inline styles, hence
/// 'unsafe-inline' for styles only.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers.XContentTypeOptions = "nosniff";
                    headers.XFrameOptions = "DENY";
                    headers["Referrer-Policy"] = "no-referrer";
                    headers["X-Robots-Tag"] = "noindex, nofollow";
                    headers["Cross-Origin-Opener-Policy"] = "same-origin";
                    if (context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetMarker>() is null)
                    {
                        headers.CacheControl = "no-store";
                        headers.Pragma = "no-cache";
                    }

                    return Task.CompletedTask;
                });
                await next(context);
            }
        );

    /// <summary>
    /// Marks the endpoints of framework, library and wwwroot files, which hold no data and keep the caching their
    /// handler sets. Everything else, a path with an extension included (the audit CSV export), is never stored.
    /// </summary>
    public static TBuilder WithStaticAssetMarker<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.Metadata.Add(StaticAssetMarker.Instance));
        return builder;
    }

    private sealed class StaticAssetMarker
    {
        public static readonly StaticAssetMarker Instance = new();
    }
}
