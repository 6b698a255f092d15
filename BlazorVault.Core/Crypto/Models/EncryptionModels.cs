using BlazorVault.Core.Crypto;

namespace BlazorVault.Core.Crypto.Models;

/// <summary>A certificate as the Encryption page lists it. <see cref="IsLoaded"/> is false for a certificate that
/// still wraps secrets but is no longer in the key ring (its data cannot be read until it is restored).</summary>
public sealed record CertificateView(
    string Thumbprint,
    string Subject,
    int? KeySize,
    DateTime? ValidFrom,
    DateTime? ValidTo,
    bool IsActive,
    bool IsLoaded,
    int SecretCount,
    CertificateSource? Source,
    string? Location,
    bool BackupAcknowledged,
    bool CanRemove,
    bool ExpiresSoon = false
);

/// <summary>The test wrap/unwrap round trip with the active certificate.</summary>
public sealed record EncryptionHealth(bool IsHealthy, string Message, double Milliseconds);

public sealed record RewrapStatus(bool Requested, bool Running, int Total, int WrappedByActive, int Unreadable)
{
    public int Remaining => Total - WrappedByActive - Unreadable;

    public double Percent => Total == 0 ? 100 : 100.0 * WrappedByActive / Total;
}

public sealed record EncryptionOverview(
    string KeyDirectory,
    IReadOnlyList<CertificateView> Certificates,
    EncryptionHealth Health,
    RewrapStatus Rewrap,
    IReadOnlyList<string> Warnings
);

/// <summary>What an administrator must be told on every page until it is dealt with.</summary>
public sealed record EncryptionNotice(string Message, bool IsError);

/// <param name="Rewrapped">Secrets now wrapped by the active certificate.</param>
/// <param name="Skipped">Secrets changed by someone else meanwhile (already under the active certificate) or unreadable.</param>
public sealed record RewrapResult(int Rewrapped, int Skipped, int Remaining);

public sealed record RewrapProgress(int Done, int Total);
