using Microsoft.AspNetCore.Components.Authorization;

namespace BlazorVault.Hosting;

/// <summary>
/// Gives every HTTP request's services (endpoints such as the audit export, not only Razor components) the
/// request's user as authentication state, so Core's <c>ICurrentActor</c> works the same everywhere.
/// </summary>
internal static class AuthenticationStateMiddleware
{
    public static IApplicationBuilder UseAuthenticationStateForServices(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                if (
                    context.RequestServices.GetRequiredService<AuthenticationStateProvider>()
                    is IHostEnvironmentAuthenticationStateProvider provider
                )
                {
                    provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(context.User)));
                }

                await next(context);
            }
        );
}
