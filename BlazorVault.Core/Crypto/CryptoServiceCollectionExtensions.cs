using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Crypto;

public static class CryptoServiceCollectionExtensions
{
    /// <summary>
    /// The key ring is loaded by the caller at start-up (see <see cref="KeyRingLoader"/>), so a bad certificate stops the start.
    /// </summary>
    public static IServiceCollection AddCrypto(this IServiceCollection services, KeyRing keyRing)
    {
        services.AddSingleton(keyRing);
        services.AddSingleton<SecretCipher>();
        services.AddSingleton<SecretStore>();
        services.AddScoped<EncryptionInitializer>();
        services.AddSingleton<DataProtectionKeyInitializer>();
        services.AddScoped<SecretRewrapper>();
        services.AddScoped<EncryptionStatusService>();
        services.AddScoped<EncryptionService>();
        return services;
    }
}
