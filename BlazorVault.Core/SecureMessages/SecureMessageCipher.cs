using System.Security.Cryptography;
using System.Text;
using BlazorVault.Core.Security;

namespace BlazorVault.Core.SecureMessages;

/// <summary>
/// The crypto of a one-time secure message link <c>/portal/secure/{selector}#{verifier}</c> (see <see cref="OneTimeLink"/>).
/// The content key is HKDF-SHA256 over the verifier (and, when a passphrase is set, PBKDF2-SHA256 of it with
/// the message's salt); AES-256-GCM with the message id as associated data. Neither the database nor the certificate
/// can decrypt an unviewed message, and a wrong passphrase fails the tag.
/// </summary>
public static class SecureMessageCipher
{
    public const int SaltBytes = 16;
    public const int PassphraseIterations = 600_000;

    private static readonly byte[] Info = "BlazorVault.SecureMessage.v1"u8.ToArray();

    public static (byte[] Ciphertext, byte[] Nonce, byte[] Tag) Seal(
        Guid messageId,
        string content,
        string verifier,
        string? passphrase,
        byte[] salt
    )
    {
        var key = DeriveKey(verifier, passphrase, salt);
        var plaintext = Encoding.UTF8.GetBytes(content);
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(12);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[16];
            using var aes = new AesGcm(key, 16);
            aes.Encrypt(nonce, plaintext, ciphertext, tag, messageId.ToByteArray());
            return (ciphertext, nonce, tag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>The content, or null when the verifier or passphrase is wrong (the tag does not match).</summary>
    public static string? TryOpen(
        Guid messageId,
        byte[] ciphertext,
        byte[] nonce,
        byte[] tag,
        string verifier,
        string? passphrase,
        byte[] salt
    )
    {
        var key = DeriveKey(verifier, passphrase, salt);
        var plaintext = GC.AllocateUninitializedArray<byte>(ciphertext.Length, pinned: true);
        try
        {
            using var aes = new AesGcm(key, 16);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, messageId.ToByteArray());
            return Encoding.UTF8.GetString(plaintext);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] DeriveKey(string verifier, string? passphrase, byte[] salt)
    {
        var verifierBytes =
            OneTimeLink.DecodeVerifier(verifier) ?? throw new ArgumentException("The verifier is malformed.", nameof(verifier));
        byte[] input;
        if (string.IsNullOrEmpty(passphrase))
        {
            input = verifierBytes;
        }
        else
        {
            var stretched = Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, PassphraseIterations, HashAlgorithmName.SHA256, 32);
            input = [.. verifierBytes, .. stretched];
            CryptographicOperations.ZeroMemory(stretched);
            CryptographicOperations.ZeroMemory(verifierBytes);
        }

        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, input, 32, salt, Info);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }
}
