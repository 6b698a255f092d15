using System.Buffers.Text;
using System.Security.Cryptography;

namespace BlazorVault.Core.Security;

/// <summary>
/// A one-time link <c>/{path}/{selector}#{verifier}</c> (secure messages, password reset and welcome links). The
/// selector (128 random bits) finds the row; the verifier (256 random bits) travels only in the URL fragment, which
/// browsers never send, and the page's script posts it in the form body. The database keeps only its SHA-256,
/// compared in constant time.
/// </summary>
public static class OneTimeLink
{
    public const int SelectorBytes = 16;
    public const int VerifierBytes = 32;

    /// <summary>A fresh link: selector and verifier as URL-safe base64 (no padding).</summary>
    public static (string Selector, string Verifier) New() =>
        (
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SelectorBytes)),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(VerifierBytes))
        );

    /// <summary>SHA-256 of the verifier's bytes; null when the text is not a well-formed verifier.</summary>
    public static byte[]? HashVerifier(string? verifier)
    {
        var bytes = DecodeVerifier(verifier);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return SHA256.HashData(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public static bool IsWellFormedSelector(string? selector) => Decode(selector, SelectorBytes) is not null;

    /// <summary>Whether the stored hash is the verifier's, in constant time.</summary>
    public static bool Matches(byte[] storedHash, byte[] verifierHash) => CryptographicOperations.FixedTimeEquals(storedHash, verifierHash);

    /// <summary>The verifier's 32 bytes; null when malformed. The caller zeroes them.</summary>
    internal static byte[]? DecodeVerifier(string? verifier) => Decode(verifier, VerifierBytes);

    private static byte[]? Decode(string? text, int length)
    {
        if (text is null || text.Length != Base64Url.GetEncodedLength(length))
        {
            return null;
        }

        var bytes = new byte[length];
        return Base64Url.IsValid(text) && Base64Url.TryDecodeFromChars(text, bytes, out var written) && written == length ? bytes : null;
    }
}
