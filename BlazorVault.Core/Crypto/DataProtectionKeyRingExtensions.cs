using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using BlazorVault.Core.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorVault.Core.Crypto;

public static class DataProtectionKeyRingExtensions
{
    /// <summary>
    /// Data Protection (sign-in cookies, antiforgery) under one application name on every node, its keys sealed with the
    /// certificate (<see cref="ProtectKeysWithKeyRing"/>): in the key folder on one node (SQLite), in the database's
    /// DataProtectionKeys table when nodes share PostgreSQL, so that a cookie issued by one node is read by every other.
    /// </summary>
    public static IDataProtectionBuilder AddBlazorVaultDataProtection(this IServiceCollection services, StoragePaths paths)
    {
        var builder = services.AddDataProtection().SetApplicationName("BlazorVault");
        return (
            paths.Provider == DatabaseProvider.PostgreSQL
                ? builder.PersistKeysToDbContext<BlazorVaultDbContext>()
                : builder.PersistKeysToFileSystem(new DirectoryInfo(paths.DataProtectionKeyDirectory))
        ).ProtectKeysWithKeyRing();
    }

    /// <summary>
    /// Encrypts the Data Protection key files (sign-in cookies, antiforgery) with the same envelope as every other
    /// secret (AES-256-GCM, data key wrapped with RSA-OAEP-SHA256 by the key ring's preferred certificate), and reads
    /// them with any certificate of the ring or of <c>retired/</c>. Resolved when Data Protection first needs a key,
    /// after the start-up has generated or loaded the certificates.
    /// </summary>
    public static IDataProtectionBuilder ProtectKeysWithKeyRing(this IDataProtectionBuilder builder)
    {
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlEncryptor = new KeyRingXmlEncryptor(services.GetRequiredService<KeyRing>())
        ));
        return builder;
    }
}

/// <summary>Writes a Data Protection key element as a sealed secret; <see cref="KeyRingXmlDecryptor"/> reads it.</summary>
internal sealed class KeyRingXmlEncryptor(KeyRing keyRing) : IXmlEncryptor
{
    internal static readonly SecretSlot Slot = new("data-protection", "key-ring", "xml");

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var certificate =
            keyRing.Preferred
            ?? throw new InvalidOperationException("The key ring has no certificate yet; the start-up generates or loads one first.");
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var sealedSecret = SecretCipher.Seal(Slot, plaintext, certificate);
            var element = new XElement(
                "blazorVaultSealedKey",
                new XAttribute("version", sealedSecret.FormatVersion),
                new XAttribute("thumbprint", sealedSecret.CertificateThumbprint),
                new XElement("nonce", Convert.ToBase64String(sealedSecret.Nonce)),
                new XElement("tag", Convert.ToBase64String(sealedSecret.Tag)),
                new XElement("wrappedKey", Convert.ToBase64String(sealedSecret.WrappedKey)),
                new XElement("ciphertext", Convert.ToBase64String(sealedSecret.Ciphertext))
            );
            return new EncryptedXmlInfo(element, typeof(KeyRingXmlDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>
/// Created by Data Protection (by type name, with the service provider) to read what <see cref="KeyRingXmlEncryptor"/> wrote.
/// </summary>
public sealed class KeyRingXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var keyRing = services.GetRequiredService<KeyRing>();
        var sealedSecret = new SealedSecret(
            (int)encryptedElement.Attribute("version")!,
            Convert.FromBase64String(encryptedElement.Element("ciphertext")!.Value),
            Convert.FromBase64String(encryptedElement.Element("nonce")!.Value),
            Convert.FromBase64String(encryptedElement.Element("tag")!.Value),
            Convert.FromBase64String(encryptedElement.Element("wrappedKey")!.Value),
            (string)encryptedElement.Attribute("thumbprint")!
        );
        var retired = keyRing.Find(sealedSecret.CertificateThumbprint) is null
            ? KeyRingLoader.FindRetired(keyRing.KeyDirectory, sealedSecret.CertificateThumbprint)
            : null;
        var plaintext = retired is null
            ? new SecretCipher(keyRing).Open(KeyRingXmlEncryptor.Slot, sealedSecret)
            : SecretCipher.OpenWith(retired, KeyRingXmlEncryptor.Slot, sealedSecret);
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            retired?.Dispose();
        }
    }
}
