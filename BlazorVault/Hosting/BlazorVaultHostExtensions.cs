using System.Threading.RateLimiting;
using BlazorVault.Components;
using BlazorVault.Components.Account;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Jobs;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Tickets;
using BlazorVault.Jobs;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace BlazorVault.Hosting;

internal static class BlazorVaultHostExtensions
{
    public static WebApplicationBuilder AddBlazorVault(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var paths = StoragePaths.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>, SecretSafeLogging>();
        // Loaded now, so that a refused certificate stops the start with its message (and first run generates one).
        var keyRing = KeyRingLoader.Load(EncryptionOptions.FromConfiguration(builder.Configuration), paths, TimeProvider.System);
        services.AddPersistence(paths).AddAudit().AddSettings().AddCrypto(keyRing).AddAccounts().AddCustomers().AddTickets().AddBlazorVaultJobs();

        // Data Protection keys (cookies, antiforgery) live in the key directory, encrypted with a certificate of the
        // key ring, so sign-ins survive a restart and the key files alone forge nothing.
        services.AddDataProtection()
            .SetApplicationName("BlazorVault")
            .PersistKeysToFileSystem(new DirectoryInfo(paths.DataProtectionKeyDirectory))
            .ProtectKeysWithCertificate(keyRing.Preferred.Certificate)
            .UnprotectKeysWithAnyCertificate([.. keyRing.Certificates.Select(c => c.Certificate), .. KeyRingLoader.LoadRetired(paths.KeyDirectory)]);

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });

        // A disabled account or changed role ends existing sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Agent, policy => policy.RequireRole(Roles.Agent, Roles.Admin))
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Policies.PortalUser, policy => policy.RequireRole(Roles.PortalUser));

        services.AddRazorComponents()
            .AddInteractiveServerComponents(options => options.DetailedErrors = builder.Environment.IsDevelopment());
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<ICurrentActor, CurrentActor>();

        services.AddRateLimiter(options =>
        {
            var perMinute = builder.Configuration.GetValue("RateLimiting:SignInPerMinute", 10);
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsPasswordAttempt(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) })
                    : RateLimitPartition.GetNoLimiter("none"));
            options.OnRejected = (context, cancellationToken) =>
                new ValueTask(context.HttpContext.Response.WriteAsync("Too many password attempts. Wait a minute and try again.", cancellationToken));
        });

        if (builder.Configuration.GetValue<bool>("Hosting:TlsTerminatedByProxy"))
        {
            // Only the configured proxies are believed (loopback when none is configured).
            var proxies = builder.Configuration.GetSection("Hosting:KnownProxies").Get<string[]>() ?? [];
            services.Configure<ForwardedHeadersOptions>(options =>
            {
                options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                foreach (var proxy in proxies)
                {
                    options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
                }
            });
        }

        return builder;
    }

    public static async Task InitializeBlazorVaultAsync(this WebApplication app)
    {
        if (await StartupTasks.InitializeAsync(app.Services, app.Lifetime.ApplicationStopping))
        {
            // A re-wrap was interrupted (the process stopped mid-way): carry on once the scheduler starts.
            await app.Services.GetRequiredService<IJobScheduler>().TriggerAsync(SecretRewrapper.JobKey, app.Lifetime.ApplicationStopping);
        }
    }

    public static WebApplication UseBlazorVault(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>("Hosting:TlsTerminatedByProxy"))
        {
            app.UseForwardedHeaders();
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseSecurityHeaders();
        app.UseAuditOrigin();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

        // Before authentication, so that on first run every page leads to setup rather than to sign-in.
        app.UseFirstRunRedirect();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthenticationStateForServices();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode(options => options.DisableWebSocketCompression = true);
        app.MapAdditionalIdentityEndpoints();
        app.MapAuditExport();
        return app;
    }

    private static bool IsPasswordAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.StartsWithSegments("/Account/Login", StringComparison.OrdinalIgnoreCase)
            || request.Path.StartsWithSegments("/Account/LoginWith2fa", StringComparison.OrdinalIgnoreCase)
            || request.Path.StartsWithSegments("/Account/LoginWithRecoveryCode", StringComparison.OrdinalIgnoreCase)
            || request.Path.StartsWithSegments("/Account/Manage/ChangePassword", StringComparison.OrdinalIgnoreCase)
            || request.Path.StartsWithSegments(FirstRunRedirect.SetupPath, StringComparison.OrdinalIgnoreCase));
}
