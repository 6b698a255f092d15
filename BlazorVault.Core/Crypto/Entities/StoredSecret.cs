namespace BlazorVault.Core.Crypto.Entities;

/// <summary>One encrypted secret in its slot (purpose, entity, field). No column holds a value or a key in clear.</summary>
public sealed class StoredSecret
{
    public long Id { get; set; }

    public string Purpose { get; set; } = "";

    public string EntityId { get; set; } = "";

    public string FieldId { get; set; } = "";

    public int FormatVersion { get; set; }

    public byte[] Ciphertext { get; set; } = [];

    public byte[] Nonce { get; set; } = [];

    public byte[] Tag { get; set; } = [];

    public byte[] WrappedKey { get; set; } = [];

    /// <summary>SHA-256 thumbprint of the certificate that wraps the data key.</summary>
    public string CertificateThumbprint { get; set; } = "";

    /// <summary>Bumped by every change (value or re-wrap): the concurrency token that keeps re-wrap from undoing a write.</summary>
    public int Revision { get; set; }

    public DateTime UpdatedAt { get; set; }

    internal bool Matches(SecretSlot slot) => Purpose == slot.Purpose && EntityId == slot.EntityId && FieldId == slot.FieldId;

    internal SealedSecret ToSealed() => new(FormatVersion, Ciphertext, Nonce, Tag, WrappedKey, CertificateThumbprint);

    internal void Apply(SealedSecret sealedSecret, DateTime now)
    {
        FormatVersion = sealedSecret.FormatVersion;
        Ciphertext = sealedSecret.Ciphertext;
        Nonce = sealedSecret.Nonce;
        Tag = sealedSecret.Tag;
        WrappedKey = sealedSecret.WrappedKey;
        CertificateThumbprint = sealedSecret.CertificateThumbprint;
        Revision++;
        UpdatedAt = now;
    }
}
