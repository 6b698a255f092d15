using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <remarks>
    /// Password rules follow NIST SP 800-63B: a 12-character minimum and no composition rules. PBKDF2-HMAC-SHA512 at
    /// 220,000 iterations (OWASP's 2023 figure for SHA-512); older hashes are re-hashed on the next sign-in.
    /// </remarks>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BlazorVaultDbContext>()
            .AddSignInManager<AuditingSignInManager>()
            .AddDefaultTokenProviders();

        services.Configure<PasswordHasherOptions>(options => options.IterationCount = 220_000);

        services.AddSingleton<SetupState>();
        services.AddScoped<SystemActorScope>();
        services.AddScoped<AccountWriter>();
        services.AddScoped<ActorResolver>();
        services.AddScoped<SetupService>();
        services.AddScoped<AgentService>();
        return services;
    }
}
