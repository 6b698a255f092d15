using Microsoft.Extensions.Configuration;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// The <c>Encryption</c> configuration section, for on-premise admins who bring their own certificate. Empty:
/// BlazorVault uses (and on first run generates) PFX files in the key directory.
/// </summary>
public sealed record EncryptionOptions
{
    public const string DefaultPasswordVariable = "BLAZORVAULT_CERTIFICATE_PASSWORD";

    /// <summary>SHA-1 (as Windows shows it) or SHA-256 thumbprint of a certificate in the CurrentUser or LocalMachine "My" store.</summary>
    public string? CertificateThumbprint { get; init; }

    /// <summary>A PFX file anywhere on the machine.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The environment variable that holds <see cref="CertificatePath"/>'s password (never the password itself).</summary>
    public string CertificatePasswordVariable { get; init; } = DefaultPasswordVariable;

    public static EncryptionOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Encryption");
        return new EncryptionOptions
        {
            CertificateThumbprint = Blank(section["CertificateThumbprint"]),
            CertificatePath = Blank(section["CertificatePath"]),
            CertificatePasswordVariable = Blank(section["CertificatePasswordVariable"]) ?? DefaultPasswordVariable,
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
