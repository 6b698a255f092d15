using System.Collections.Immutable;
using System.Security.Cryptography;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// The certificates BlazorVault can unwrap data keys with. Which one wraps new keys (the active certificate) is
/// recorded in the database and read on every write, so a key activated by another process is used at once. The
/// members are internal to Core: nothing outside it can reach a private key.
/// </summary>
public sealed class KeyRing : IDisposable
{
    /// <summary>A thumbprint that is not in the ring makes the ring look at the key directory at most this often.</summary>
    private static readonly TimeSpan MissRefreshInterval = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly string _keyDirectory;
    private readonly EncryptionCertificate? _configured;
    private readonly TimeProvider _time;
    private ImmutableDictionary<string, EncryptionCertificate> _certificates;
    private DateTimeOffset _lastRefresh;
    private Task<RSA>? _keyPair;

    internal KeyRing(
        IEnumerable<EncryptionCertificate> certificates,
        EncryptionCertificate? configured,
        string keyDirectory,
        TimeProvider time
    )
    {
        _certificates = certificates.ToImmutableDictionary(c => c.Thumbprint, StringComparer.OrdinalIgnoreCase);
        _configured = configured;
        _keyDirectory = keyDirectory;
        _time = time;
        _lastRefresh = time.GetUtcNow();
    }

    internal string KeyDirectory => _keyDirectory;

    internal bool IsEmpty => _certificates.IsEmpty;

    /// <summary>The certificate to activate when the database names none: the configured one, else the newest.</summary>
    internal EncryptionCertificate? Preferred =>
        _configured ?? _certificates.Values.OrderByDescending(c => c.Certificate.NotBefore).FirstOrDefault();

    internal IReadOnlyCollection<EncryptionCertificate> Certificates => _certificates.Values.ToList();

    /// <summary>Why the last look at the key directory skipped a file (e.g. a PFX under 3072 bits added while running).</summary>
    internal string? RefreshProblem { get; private set; }

    /// <summary>
    /// The certificate with this SHA-256 thumbprint; a miss looks for new PFX files in the key directory (at most every few seconds).
    /// </summary>
    internal EncryptionCertificate? Find(string thumbprint)
    {
        if (_certificates.TryGetValue(thumbprint, out var certificate))
        {
            return certificate;
        }

        if (_time.GetUtcNow() - _lastRefresh >= MissRefreshInterval)
        {
            Refresh();
        }

        return _certificates.GetValueOrDefault(thumbprint);
    }

    /// <summary>
    /// Picks up PFX files added to the key directory since the start (e.g. by <c>keys rotate</c>, or restored from a
    /// backup). A file that cannot be used is skipped and reported in <see cref="RefreshProblem"/>, never fatal.
    /// </summary>
    internal void Refresh()
    {
        lock (_gate)
        {
            _lastRefresh = _time.GetUtcNow();
            var known = _certificates.Values.Select(c => c.Location).ToHashSet(StringComparer.Ordinal);
            var problems = new List<string>();
            var added = new List<EncryptionCertificate>();
            foreach (var file in KeyRingLoader.ListKeyFiles(_keyDirectory, problems).Where(f => !known.Contains(f)))
            {
                try
                {
                    var certificate = KeyRingLoader.OpenKeyDirectoryFile(file);
                    if (_certificates.ContainsKey(certificate.Thumbprint) || added.Any(a => a.Thumbprint == certificate.Thumbprint))
                    {
                        // A copy of a certificate already in the ring.
                        certificate.Dispose();
                        continue;
                    }

                    added.Add(certificate);
                }
                catch (Exception ex) when (ex is KeyRingException or IOException or UnauthorizedAccessException or CryptographicException)
                {
                    problems.Add(ex is KeyRingException ? ex.Message : $"{file}: {ex.GetType().Name}.");
                }
            }

            _certificates = _certificates.AddRange(added.Select(c => KeyValuePair.Create(c.Thumbprint, c)));
            RefreshProblem = problems.Count == 0 ? null : string.Join(" ", problems);
        }
    }

    /// <summary>
    /// Generates the key pair of the next <see cref="Generate"/> on a pool thread, so that on a first start the slowest step
    /// overlaps the database's; nothing is written unless <see cref="Generate"/> uses it.
    /// </summary>
    internal void StartGeneratingKeyPair() => _keyPair ??= Task.Run(KeyRingLoader.GenerateKeyPair);

    /// <summary>A new self-signed RSA-3072 certificate in the key directory, added to the ring.</summary>
    internal EncryptionCertificate Generate()
    {
        var keyPair = Interlocked.Exchange(ref _keyPair, null);
        var certificate = KeyRingLoader.Generate(_keyDirectory, _time, keyPair?.GetAwaiter().GetResult());
        Add(certificate);
        return certificate;
    }

    internal void Add(EncryptionCertificate certificate)
    {
        lock (_gate)
        {
            _certificates = _certificates.SetItem(certificate.Thumbprint, certificate);
        }
    }

    internal void Remove(string thumbprint)
    {
        lock (_gate)
        {
            _certificates = _certificates.Remove(thumbprint);
        }
    }

    public void Dispose()
    {
        foreach (var certificate in _certificates.Values)
        {
            certificate.Dispose();
        }

        Interlocked
            .Exchange(ref _keyPair, null)
            ?.ContinueWith(
                unused => unused.Result.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default
            );
    }
}
