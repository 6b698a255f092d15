namespace BlazorVault.Core.Crypto;

/// <summary>
/// A secret as stored: AES-256-GCM ciphertext, nonce and tag, its data key wrapped with RSA-OAEP-SHA256 by the
/// certificate named by its SHA-256 thumbprint, and the format version. Nothing here reveals the value.
/// </summary>
public sealed record SealedSecret(
    int FormatVersion,
    byte[] Ciphertext,
    byte[] Nonce,
    byte[] Tag,
    byte[] WrappedKey,
    string CertificateThumbprint
);
