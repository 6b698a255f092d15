namespace BlazorVault.Core.Crypto;

public enum SecretFailure
{
    /// <summary>The certificate that wrapped the data key is not in the key ring.</summary>
    CertificateMissing,

    /// <summary>The authentication tag does not match: the bytes were altered, or the ciphertext belongs to another slot.</summary>
    WrongSlotOrTampered,

    /// <summary>The wrapped data key does not unwrap with its certificate: it was altered.</summary>
    WrappedKeyTampered,

    /// <summary>Lengths or the format version are not what BlazorVault writes.</summary>
    Malformed,
}

/// <summary>
/// A stored secret could not be decrypted. The message says why and what to do; it never contains the value,
/// the key or any of the stored bytes.
/// </summary>
public sealed class SecretUnreadableException(SecretFailure failure, string message) : Exception(message)
{
    public SecretFailure Failure { get; } = failure;
}

/// <summary>The key ring cannot be used as configured (e.g. an RSA key under 3072 bits); the message says what to do.</summary>
public sealed class KeyRingException(string message, Exception? inner = null) : Exception(message, inner);
