using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BlazorVault.Core.Crypto;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>
/// Certificates for tests. Generating RSA-3072 takes up to a second, so one key-ring certificate is generated per test
/// run (by the application's own generator) and copied into each test's key directory.
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<(string FileName, byte[] Pfx)> Shared = new(() =>
    {
        var folder = System.IO.Path.Combine(
            System.IO.Path.GetTempPath(),
            "blazorvault-tests",
            "shared-key-" + Guid.NewGuid().ToString("N")
        );
        try
        {
            var generated = KeyRingLoader.Generate(folder, TimeProvider.System);
            var pfx = File.ReadAllBytes(generated.Location);
            var name = System.IO.Path.GetFileName(generated.Location);
            generated.Dispose();
            return (name, pfx);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    });

    /// <summary>Puts the shared test certificate into <paramref name="keyDirectory"/> (owner-only, as the app writes it).</summary>
    public static void Install(string keyDirectory)
    {
        Directory.CreateDirectory(keyDirectory);
        var file = System.IO.Path.Combine(keyDirectory, Shared.Value.FileName);
        File.WriteAllBytes(file, Shared.Value.Pfx);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>A self-signed certificate with an RSA key of <paramref name="bits"/>, written as a PFX file.</summary>
    /// <param name="validFor">How long from now the certificate stays valid (a year when not given).</param>
    public static string WriteRsaPfx(string folder, int bits, string name = "custom", TimeSpan? validFor = null)
    {
        Directory.CreateDirectory(folder);
        using var rsa = RSA.Create(bits);
        var request = new CertificateRequest($"CN=Test {bits}-bit {name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(
            DateTimeOffset.UtcNow.AddDays(-1),
            DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromDays(365))
        );
        var file = System.IO.Path.Combine(folder, $"{name}.pfx");
        File.WriteAllBytes(file, certificate.Export(X509ContentType.Pkcs12));
        return file;
    }
}
