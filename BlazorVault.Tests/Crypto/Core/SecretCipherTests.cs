using System.Security.Cryptography;
using System.Text;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace BlazorVault.Tests.Crypto.Core;

/// <summary>The envelope format on its own: round trip, slot binding, tamper detection and clear failures.</summary>
public sealed class SecretCipherTests : IDisposable
{
    private static readonly SecretSlot Slot = new("custom-field", "row-1", "password");

    private readonly TempDirectory _directory = new(withTestKey: false);
    private readonly KeyRing _ring;
    private readonly SecretCipher _cipher;

    public SecretCipherTests()
    {
        var paths = StoragePaths.FromConfiguration(new ConfigurationBuilder().Build(), _directory.Path);
        TestCertificates.Install(paths.KeyDirectory);
        _ring = KeyRingLoader.Load(new EncryptionOptions(), paths, TimeProvider.System);
        _cipher = new SecretCipher(_ring);
    }

    private EncryptionCertificate Certificate => _ring.Preferred!;

    [Fact]
    public void ASealedValue_OpensToTheSameValue_InItsOwnSlot()
    {
        var sealedSecret = SecretCipher.SealString(Slot, "Tr0ub4dor&3 — ünïcode ✓", Certificate);

        Assert.Equal("Tr0ub4dor&3 — ünïcode ✓", _cipher.OpenString(Slot, sealedSecret));
        Assert.Equal(SecretCipher.FormatVersion, sealedSecret.FormatVersion);
        Assert.Equal(Certificate.Thumbprint, sealedSecret.CertificateThumbprint);
        Assert.Equal(64, sealedSecret.CertificateThumbprint.Length);
        Assert.Equal((12, 16, 384), (sealedSecret.Nonce.Length, sealedSecret.Tag.Length, sealedSecret.WrappedKey.Length));
    }

    [Fact]
    public void EveryWrite_UsesAFreshDataKeyAndNonce()
    {
        var first = SecretCipher.SealString(Slot, "same value", Certificate);
        var second = SecretCipher.SealString(Slot, "same value", Certificate);

        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.NotEqual(first.Ciphertext, second.Ciphertext);
        Assert.NotEqual(first.WrappedKey, second.WrappedKey);
    }

    [Theory]
    [InlineData("custom-field", "row-2", "password")]
    [InlineData("custom-field", "row-1", "notes")]
    [InlineData("settings", "row-1", "password")]
    public void ACiphertextMovedToAnotherSlot_DoesNotOpen(string purpose, string entity, string field)
    {
        var sealedSecret = SecretCipher.SealString(Slot, "secret", Certificate);

        var ex = Assert.Throws<SecretUnreadableException>(() => _cipher.Open(new SecretSlot(purpose, entity, field), sealedSecret));

        Assert.Equal(SecretFailure.WrongSlotOrTampered, ex.Failure);
        Assert.Contains("copied from another slot", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EachFlippedByte_OfCiphertextNonceTagOrWrappedKey_IsDetected()
    {
        var sealedSecret = SecretCipher.SealString(Slot, "correct horse", Certificate);
        var fields = new (string Name, byte[] Bytes, Func<byte[], SealedSecret> With)[]
        {
            ("ciphertext", sealedSecret.Ciphertext, b => sealedSecret with { Ciphertext = b }),
            ("nonce", sealedSecret.Nonce, b => sealedSecret with { Nonce = b }),
            ("tag", sealedSecret.Tag, b => sealedSecret with { Tag = b }),
            ("wrapped key", sealedSecret.WrappedKey, b => sealedSecret with { WrappedKey = b }),
        };

        var checkedBytes = 0;
        foreach (var (name, bytes, with) in fields)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                var altered = (byte[])bytes.Clone();
                altered[i] ^= 0x01;
                var ex = Assert.Throws<SecretUnreadableException>(() => _cipher.Open(Slot, with(altered)));
                Assert.True(
                    ex.Failure is SecretFailure.WrongSlotOrTampered or SecretFailure.WrappedKeyTampered,
                    $"{name} byte {i}: {ex.Failure}"
                );
                checkedBytes++;
            }
        }

        Assert.Equal(13 + 12 + 16 + 384, checkedBytes);
    }

    [Fact]
    public void AlteredLengthsAndVersions_AreMalformed()
    {
        var sealedSecret = SecretCipher.SealString(Slot, "x", Certificate);

        Assert.Equal(
            SecretFailure.Malformed,
            Assert.Throws<SecretUnreadableException>(() => _cipher.Open(Slot, sealedSecret with { FormatVersion = 2 })).Failure
        );
        Assert.Equal(
            SecretFailure.Malformed,
            Assert.Throws<SecretUnreadableException>(() => _cipher.Open(Slot, sealedSecret with { Nonce = new byte[11] })).Failure
        );
        Assert.Equal(
            SecretFailure.Malformed,
            Assert
                .Throws<SecretUnreadableException>(() =>
                    _cipher.Open(Slot, sealedSecret with { WrappedKey = sealedSecret.WrappedKey[..256] })
                )
                .Failure
        );
    }

    [Fact]
    public void AnUnknownThumbprint_FailsClearly_NamingTheCertificateAndWhatToDo()
    {
        var unknown = Convert.ToHexString(SHA256.HashData("another certificate"u8));
        var sealedSecret = SecretCipher.SealString(Slot, "x", Certificate) with { CertificateThumbprint = unknown };

        var ex = Assert.Throws<SecretUnreadableException>(() => _cipher.Open(Slot, sealedSecret));

        Assert.Equal(SecretFailure.CertificateMissing, ex.Failure);
        Assert.Contains(unknown, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Restore that certificate's PFX into the key directory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorMessages_NeverContainTheValue()
    {
        const string Canary = "canary-in-an-error-4f1c";
        var sealedSecret = SecretCipher.SealString(Slot, Canary, Certificate);
        var tampered = sealedSecret with { Tag = new byte[16] };

        var ex = Assert.Throws<SecretUnreadableException>(() => _cipher.Open(Slot, tampered));

        Assert.DoesNotContain(Canary, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(Canary)), ex.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ReWrapping_KeepsTheCiphertext_AndOpensWithTheNewCertificateOnly()
    {
        var other = KeyRingLoader.Generate(Path.Combine(_directory.Path, "other"), TimeProvider.System);
        _ring.Add(other);
        var sealedSecret = SecretCipher.SealString(Slot, "moving house", Certificate);

        var rewrapped = _cipher.Rewrap(sealedSecret, other);

        Assert.Equal(sealedSecret.Ciphertext, rewrapped.Ciphertext);
        Assert.Equal(other.Thumbprint, rewrapped.CertificateThumbprint);
        Assert.Equal("moving house", _cipher.OpenString(Slot, rewrapped));
        _ring.Remove(Certificate.Thumbprint);
        Assert.Equal(
            SecretFailure.CertificateMissing,
            Assert.Throws<SecretUnreadableException>(() => _cipher.Open(Slot, sealedSecret)).Failure
        );
    }

    [Fact]
    public void OversizedValues_AreRefusedBeforeAnyWork()
    {
        var ex = Assert.Throws<ArgumentException>(() => SecretCipher.Seal(Slot, new byte[SecretCipher.MaxPlaintextBytes + 1], Certificate));

        Assert.Contains("64 KiB", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _ring.Dispose();
        _directory.Dispose();
    }
}
