using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BlazorVault.Core.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <remarks>
    /// Password rules follow NIST SP 800-63B: no composition rules, and the length the live password policy sets:
    /// <see cref="PolicyPasswordValidator"/> replaces Identity's own validator, so a person sees one rule, not two.
    /// PBKDF2-HMAC-SHA512 at 220,000 iterations (OWASP's 2023 figure for SHA-512); older hashes are re-hashed on
    /// the next sign-in.
    /// </remarks>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services
            .AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
                options.User.RequireUniqueEmail = true;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BlazorVaultDbContext>()
            .AddUserManager<BlazorVaultUserManager>()
            .AddSignInManager<AuditingSignInManager>()
            .AddDefaultTokenProviders();

        // Authenticator keys and recovery codes sealed by the key ring instead of clear token rows.
        services.Replace(ServiceDescriptor.Scoped<IUserStore<ApplicationUser>, BlazorVaultUserStore>());
        services.RemoveAll<IPasswordValidator<ApplicationUser>>();
        services.AddScoped<IPasswordValidator<ApplicationUser>, PolicyPasswordValidator>();
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = 220_000);

        services.AddSingleton<SetupState>();
        services.AddSingleton<DecoyLockout>();
        services.AddScoped<SystemActorScope>();
        services.AddScoped<AccountWriter>();
        services.AddScoped<ActorResolver>();
        services.AddScoped<SetupService>();
        services.AddScoped<AgentService>();
        services.AddScoped<PasswordService>();
        services.AddScoped<PasswordLinkService>();
        services.AddScoped<PasswordResetService>();
        services.AddScoped<PasswordExpiry>();
        services.AddScoped<SecondFactorSealing>();
        services.AddScoped<ResetSignInCommand>();
        return services;
    }
}
