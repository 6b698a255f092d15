using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using Microsoft.Extensions.Configuration;

namespace BlazorVault.Benchmarks.Crypto;

/// <summary>
/// Revealing one secret (issue budget: within 1.2x of the bare RSA-OAEP-SHA256 unwrap plus AES-256-GCM decrypt,
/// measured in the same run). The baseline does only the two primitive operations on the same RSA-3072 key. Also
/// the re-wrap floor per secret: one unwrap and one wrap to a second certificate.
/// </summary>
[MemoryDiagnoser]
public class SecretDecryptBenchmarks
{
    private static readonly SecretSlot Slot = new("custom-field", "12345", "password");

    private string _directory = "";
    private KeyRing _ring = default!;
    private SecretCipher _cipher = default!;
    private SealedSecret _sealed = default!;
    private EncryptionCertificate _second = default!;
    private RSA _rsa = default!;
    private byte[] _associatedData = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "blazorvault-bench", Guid.NewGuid().ToString("N"));
        _ring = KeyRingLoader.Load(
            new EncryptionOptions(),
            StoragePaths.FromConfiguration(new ConfigurationBuilder().Build(), _directory),
            TimeProvider.System
        );
        _cipher = new SecretCipher(_ring);
        var certificate = _ring.Generate();
        _sealed = SecretCipher.SealString(Slot, "Correct-Horse-Battery-Staple-2026!", certificate);
        _rsa = certificate.Certificate.GetRSAPrivateKey()!;
        _second = KeyRingLoader.Generate(Path.Combine(_directory, "second"), TimeProvider.System);
        _associatedData = SecretCipher.AssociatedData(SecretCipher.FormatVersion, Slot);
    }

    [Benchmark(Baseline = true, Description = "Bare RSA-OAEP unwrap + AES-GCM decrypt")]
    public int Bare()
    {
        var key = _rsa.Decrypt(_sealed.WrappedKey, RSAEncryptionPadding.OaepSHA256);
        var plaintext = new byte[_sealed.Ciphertext.Length];
        using var aes = new AesGcm(key, SecretCipher.TagSize);
        aes.Decrypt(_sealed.Nonce, _sealed.Ciphertext, _sealed.Tag, plaintext, _associatedData);
        return plaintext.Length;
    }

    [Benchmark(Description = "SecretCipher.OpenString (checks, pinned buffers, zeroing, UTF-8)")]
    public int Open() => _cipher.OpenString(Slot, _sealed).Length;

    [Benchmark(Description = "Re-wrap floor: one unwrap + one wrap")]
    public int UnwrapAndWrap() => _cipher.Rewrap(_sealed, _second).WrappedKey.Length;

    [GlobalCleanup]
    public void Cleanup()
    {
        _rsa.Dispose();
        _second.Dispose();
        _ring.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
