using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace BlazorVault.Tests.Crypto.Core;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyRingLoaderTests : IDisposable
{
    private readonly TempDirectory _directory = new(withTestKey: false);
    private readonly StoragePaths _paths;

    public KeyRingLoaderTests() => _paths = StoragePaths.FromConfiguration(new ConfigurationBuilder().Build(), _directory.Path);

    [Fact]
    public void AnEmptyKeyDirectory_LoadsAnEmptyRing_AndGeneratedKeysAreOwnerOnlyRsa3072()
    {
        using var ring = KeyRingLoader.Load(new EncryptionOptions(), _paths, TimeProvider.System);
        Assert.True(ring.IsEmpty);

        var generated = ring.Generate();

        Assert.Equal(3072, generated.KeySize);
        Assert.Equal(CertificateSource.KeyDirectory, generated.Source);
        Assert.StartsWith(KeyRingLoader.GeneratedSubjectPrefix, generated.Certificate.Subject, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(generated.Location));
        Assert.StartsWith(_paths.KeyDirectory, generated.Location, StringComparison.Ordinal);
        using var again = KeyRingLoader.Load(new EncryptionOptions(), _paths, TimeProvider.System);
        Assert.Equal(generated.Thumbprint, Assert.Single(again.Certificates).Thumbprint);
    }

    [Fact]
    public void AnEmptyRing_WritesNoKeyBeforeOneIsGenerated_AndTwoGeneratedKeysDiffer()
    {
        using var ring = KeyRingLoader.Load(new EncryptionOptions(), _paths, TimeProvider.System);
        // The key pair made in the background must stay in memory until the start-up decides to use it.
        Thread.Sleep(TimeSpan.FromMilliseconds(200));
        Assert.Empty(Directory.EnumerateFiles(_paths.KeyDirectory, "*", SearchOption.AllDirectories));

        var first = ring.Generate();
        var second = ring.Generate();

        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
        Assert.Equal([3072, 3072], new[] { first.KeySize, second.KeySize });
        Assert.Equal(2, Directory.EnumerateFiles(_paths.KeyDirectory, "*.pfx").Count());
    }

    [Fact]
    public void A2048BitCertificate_IsRefused_WithAMessageThatSaysWhatToDo()
    {
        TestCertificates.WriteRsaPfx(_paths.KeyDirectory, 2048, "weak");

        var ex = Assert.Throws<KeyRingException>(() => KeyRingLoader.Load(new EncryptionOptions(), _paths, TimeProvider.System));

        Assert.Contains("2048-bit RSA key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at least 3072 bits", ex.Message, StringComparison.Ordinal);
        Assert.Contains("weak.pfx", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConfiguredPfx_WithItsPasswordFromTheNamedVariable_IsPreferred()
    {
        var file = Path.Combine(_directory.Path, "onprem.pfx");
        File.WriteAllBytes(file, PasswordProtectedPfx("s3cret-pfx-password"));
        var variable = $"BV_TEST_PFX_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "s3cret-pfx-password");
        try
        {
            TestCertificates.Install(_paths.KeyDirectory);
            using var ring = KeyRingLoader.Load(
                new EncryptionOptions { CertificatePath = file, CertificatePasswordVariable = variable },
                _paths,
                TimeProvider.System
            );

            Assert.Equal(2, ring.Certificates.Count);
            Assert.Equal(CertificateSource.ConfiguredFile, ring.Preferred!.Source);
            Assert.Equal(file, ring.Preferred.Location);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void AConfiguredPfx_WithoutItsPassword_FailsWithAMessageNamingTheVariable()
    {
        var file = Path.Combine(_directory.Path, "onprem.pfx");
        File.WriteAllBytes(file, PasswordProtectedPfx("s3cret-pfx-password"));

        var ex = Assert.Throws<KeyRingException>(() =>
            KeyRingLoader.Load(
                new EncryptionOptions { CertificatePath = file, CertificatePasswordVariable = "BV_TEST_UNSET_VARIABLE" },
                _paths,
                TimeProvider.System
            )
        );

        Assert.Contains("Encryption:CertificatePasswordVariable", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pfx-password", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ACertificateInTheUsersStore_IsLoadedByItsThumbprint()
    {
        var file = TestCertificates.WriteRsaPfx(Path.Combine(_directory.Path, "make"), 3072, "in-store");
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
            file,
            null,
            System.Security.Cryptography.X509Certificates.X509KeyStorageFlags.Exportable
                | System.Security.Cryptography.X509Certificates.X509KeyStorageFlags.PersistKeySet
        );
        using var store = new System.Security.Cryptography.X509Certificates.X509Store(
            System.Security.Cryptography.X509Certificates.StoreName.My,
            System.Security.Cryptography.X509Certificates.StoreLocation.CurrentUser
        );
        store.Open(System.Security.Cryptography.X509Certificates.OpenFlags.ReadWrite);
        store.Add(certificate);
        try
        {
            using var ring = KeyRingLoader.Load(
                new EncryptionOptions { CertificateThumbprint = certificate.Thumbprint.ToLowerInvariant() },
                _paths,
                TimeProvider.System
            );

            Assert.Equal(CertificateSource.CertificateStore, ring.Preferred!.Source);
            Assert.Equal($"CurrentUser/My {certificate.Thumbprint}", ring.Preferred.Location);
            Assert.Single(ring.Certificates);
        }
        finally
        {
            store.Remove(certificate);
        }
    }

    [Fact]
    public void AMissingStoreThumbprint_FailsWithAMessageThatSaysWhereItLooked()
    {
        var ex = Assert.Throws<KeyRingException>(() =>
            KeyRingLoader.Load(new EncryptionOptions { CertificateThumbprint = "00 11 22 33" }, _paths, TimeProvider.System)
        );

        Assert.Contains("No certificate with thumbprint 00112233", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'My' store", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyFileReadableByOthers_IsMadeOwnerOnly()
    {
        TestCertificates.Install(_paths.KeyDirectory);
        var file = Directory.GetFiles(_paths.KeyDirectory, "*.pfx").Single();
        File.SetUnixFileMode(file, (UnixFileMode)Convert.ToInt32("644", 8));

        using var ring = KeyRingLoader.Load(new EncryptionOptions(), _paths, TimeProvider.System);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    private byte[] PasswordProtectedPfx(string password)
    {
        var plain = TestCertificates.WriteRsaPfx(Path.Combine(_directory.Path, "make"), 3072, "onprem-plain");
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
            plain,
            null,
            System.Security.Cryptography.X509Certificates.X509KeyStorageFlags.Exportable
        );
        return certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, password);
    }

    public void Dispose() => _directory.Dispose();
}
