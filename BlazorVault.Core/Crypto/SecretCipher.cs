using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// Envelope encryption of one secret: AES-256-GCM under a fresh 256-bit data key and a random 96-bit nonce, the
/// slot as associated data, the data key wrapped with RSA-OAEP-SHA256 by a certificate of the key ring. Data keys
/// and plaintext bytes live in pinned arrays that are zeroed after use.
/// </summary>
public sealed class SecretCipher(KeyRing keyRing)
{
    public const int FormatVersion = 1;
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <summary>Larger values are refused before any work (they are not what a password field holds).</summary>
    public const int MaxPlaintextBytes = 64 * 1024;

    private static readonly byte[] AssociatedDataPrefix = "BlazorVault.Secret\0"u8.ToArray();

    internal static SealedSecret Seal(SecretSlot slot, ReadOnlySpan<byte> plaintext, EncryptionCertificate wrapping)
    {
        if (plaintext.Length > MaxPlaintextBytes)
        {
            throw new ArgumentException($"A secret is at most {MaxPlaintextBytes / 1024} KiB.", nameof(plaintext));
        }

        var key = GC.AllocateUninitializedArray<byte>(KeySize, pinned: true);
        try
        {
            RandomNumberGenerator.Fill(key);
            var nonce = RandomNumberGenerator.GetBytes(NonceSize);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[TagSize];
            using (var aes = new AesGcm(key, TagSize))
            {
                aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(FormatVersion, slot));
            }

            return new SealedSecret(FormatVersion, ciphertext, nonce, tag, wrapping.Wrap(key), wrapping.Thumbprint);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The plaintext in a pinned array; the caller zeroes it (<see cref="CryptographicOperations.ZeroMemory"/>).</summary>
    internal byte[] Open(SecretSlot slot, SealedSecret sealedSecret) => OpenWith(FindCertificate(sealedSecret), slot, sealedSecret);

    /// <summary>As <see cref="Open"/>, with a certificate that is not in the key ring (a retired one).</summary>
    internal static byte[] OpenWith(EncryptionCertificate certificate, SecretSlot slot, SealedSecret sealedSecret)
    {
        CheckLengths(certificate, sealedSecret);
        var unwrapped = GC.AllocateUninitializedArray<byte>(certificate.WrappedKeyLength, pinned: true);
        try
        {
            var key = Unwrap(certificate, sealedSecret, unwrapped);
            var plaintext = GC.AllocateUninitializedArray<byte>(sealedSecret.Ciphertext.Length, pinned: true);
            try
            {
                using var aes = new AesGcm(key, TagSize);
                aes.Decrypt(
                    sealedSecret.Nonce,
                    sealedSecret.Ciphertext,
                    sealedSecret.Tag,
                    plaintext,
                    AssociatedData(sealedSecret.FormatVersion, slot)
                );
                return plaintext;
            }
            catch (AuthenticationTagMismatchException)
            {
                CryptographicOperations.ZeroMemory(plaintext);
                throw new SecretUnreadableException(
                    SecretFailure.WrongSlotOrTampered,
                    $"The secret in slot {slot} failed its integrity check: its stored bytes were altered, or it was copied from another "
                        + "slot. It cannot be read; set it again."
                );
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(unwrapped);
        }
    }

    internal string OpenString(SecretSlot slot, SealedSecret sealedSecret)
    {
        var plaintext = Open(slot, sealedSecret);
        try
        {
            return Encoding.UTF8.GetString(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    internal static SealedSecret SealString(SecretSlot slot, string value, EncryptionCertificate wrapping)
    {
        var plaintext = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(value), pinned: true);
        try
        {
            Encoding.UTF8.GetBytes(value, plaintext);
            return Seal(slot, plaintext, wrapping);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// The same ciphertext with its data key unwrapped and wrapped again by <paramref name="wrapping"/>. The value is
    /// never decrypted; the data key exists in clear only inside this call.
    /// </summary>
    internal SealedSecret Rewrap(SealedSecret sealedSecret, EncryptionCertificate wrapping)
    {
        var certificate = CheckShape(sealedSecret);
        var unwrapped = GC.AllocateUninitializedArray<byte>(certificate.WrappedKeyLength, pinned: true);
        try
        {
            var key = Unwrap(certificate, sealedSecret, unwrapped);
            return sealedSecret with { WrappedKey = wrapping.Wrap(key), CertificateThumbprint = wrapping.Thumbprint };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(unwrapped);
        }
    }

    /// <summary>Associated data: a prefix, the format version and the length-prefixed UTF-8 slot parts.</summary>
    internal static byte[] AssociatedData(int version, SecretSlot slot)
    {
        var parts = new[] { slot.Purpose, slot.EntityId, slot.FieldId };
        var buffer = new byte[AssociatedDataPrefix.Length + 4 + parts.Sum(p => 4 + Encoding.UTF8.GetByteCount(p))];
        var span = buffer.AsSpan();
        AssociatedDataPrefix.CopyTo(span);
        span = span[AssociatedDataPrefix.Length..];
        BinaryPrimitives.WriteInt32BigEndian(span, version);
        span = span[4..];
        foreach (var part in parts)
        {
            var written = Encoding.UTF8.GetBytes(part, span[4..]);
            BinaryPrimitives.WriteInt32BigEndian(span, written);
            span = span[(4 + written)..];
        }

        return buffer;
    }

    private EncryptionCertificate CheckShape(SealedSecret sealedSecret)
    {
        var certificate = FindCertificate(sealedSecret);
        CheckLengths(certificate, sealedSecret);
        return certificate;
    }

    private EncryptionCertificate FindCertificate(SealedSecret sealedSecret)
    {
        if (sealedSecret.FormatVersion != FormatVersion)
        {
            throw new SecretUnreadableException(
                SecretFailure.Malformed,
                $"The secret has format version {sealedSecret.FormatVersion}; this BlazorVault reads version {FormatVersion}."
            );
        }

        return keyRing.Find(sealedSecret.CertificateThumbprint)
            ?? throw new SecretUnreadableException(
                SecretFailure.CertificateMissing,
                $"The secret's data key is wrapped by the certificate with SHA-256 thumbprint {sealedSecret.CertificateThumbprint}, which "
                    + "is not in the key ring. "
                    + "Restore that certificate's PFX into the key directory (or configure it) and restart."
            );
    }

    private static void CheckLengths(EncryptionCertificate certificate, SealedSecret sealedSecret)
    {
        if (sealedSecret.FormatVersion != FormatVersion)
        {
            throw new SecretUnreadableException(
                SecretFailure.Malformed,
                $"The secret has format version {sealedSecret.FormatVersion}; this BlazorVault reads version {FormatVersion}."
            );
        }

        if (
            sealedSecret.Nonce.Length != NonceSize
            || sealedSecret.Tag.Length != TagSize
            || sealedSecret.WrappedKey.Length != certificate.WrappedKeyLength
            || sealedSecret.Ciphertext.Length > MaxPlaintextBytes
        )
        {
            throw new SecretUnreadableException(
                SecretFailure.Malformed,
                "The stored secret's nonce, tag or wrapped key has the wrong length: the record was altered."
            );
        }
    }

    private static ReadOnlySpan<byte> Unwrap(EncryptionCertificate certificate, SealedSecret sealedSecret, byte[] buffer)
    {
        if (!certificate.TryUnwrap(sealedSecret.WrappedKey, buffer, out var written) || written != KeySize)
        {
            throw new SecretUnreadableException(
                SecretFailure.WrappedKeyTampered,
                $"The secret's wrapped data key does not unwrap with certificate {certificate.Thumbprint}: the record was altered."
            );
        }

        return buffer.AsSpan(0, KeySize);
    }
}
