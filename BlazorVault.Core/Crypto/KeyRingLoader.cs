using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BlazorVault.Core.Persistence;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// Builds the key ring at start-up from the key directory's PFX files, the machine's certificate store and a
/// configured PFX path, and generates self-signed RSA-3072 certificates into the key directory.
/// </summary>
public static class KeyRingLoader
{
    public const string RetiredFolderName = "retired";

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Subject prefix of the certificates BlazorVault generates (they need a backup acknowledgement).</summary>
    public const string GeneratedSubjectPrefix = "CN=BlazorVault data encryption";

    /// <summary>
    /// The configured certificate (store or PFX path) and every PFX in the key directory. Throws
    /// <see cref="KeyRingException"/> with what to do for a certificate BlazorVault must not use. An empty ring is
    /// fine here: the start-up (<see cref="EncryptionInitializer"/>) generates the first key, once it knows the database.
    /// </summary>
    public static KeyRing Load(EncryptionOptions options, StoragePaths paths, TimeProvider time)
    {
        // An existing folder keeps its permissions: the healthcheck reports a folder others can read.
        if (!Directory.Exists(paths.KeyDirectory))
        {
            DatabaseInitializer.CreatePrivateDirectory(paths.KeyDirectory);
        }

        var certificates = new List<EncryptionCertificate>();
        EncryptionCertificate? configured = null;
        if (options.CertificateThumbprint is { } thumbprint)
        {
            configured = FromStore(thumbprint);
            certificates.Add(configured);
        }

        if (options.CertificatePath is { } path)
        {
            var password = Environment.GetEnvironmentVariable(options.CertificatePasswordVariable);
            var fromFile = Open(Path.GetFullPath(path), password, CertificateSource.ConfiguredFile);
            certificates.Add(fromFile);
            configured ??= fromFile;

            // Child processes need not inherit it.
            Environment.SetEnvironmentVariable(options.CertificatePasswordVariable, null);
        }

        foreach (var file in ListKeyFiles(paths.KeyDirectory, problems: null))
        {
            var certificate = OpenKeyDirectoryFile(file);
            if (certificates.Any(c => c.Thumbprint == certificate.Thumbprint))
            {
                certificate.Dispose();
                continue;
            }

            certificates.Add(certificate);
        }

        var ring = new KeyRing(certificates, configured, paths.KeyDirectory, time);
        if (ring.IsEmpty)
        {
            ring.StartGeneratingKeyPair();
        }

        return ring;
    }

    /// <summary>A new RSA-3072 key pair; generating it takes from a tenth of a second to seconds, at random.</summary>
    internal static RSA GenerateKeyPair()
    {
        var rsa = RSA.Create(EncryptionCertificate.MinimumKeySize);
        // The key is made on first use: make it now.
        rsa.ExportParameters(includePrivateParameters: false);
        return rsa;
    }

    /// <summary>
    /// A new self-signed RSA-3072 certificate, written as an owner-only PFX in the key directory; with the given key pair, or
    /// a new one.
    /// </summary>
    internal static EncryptionCertificate Generate(string keyDirectory, TimeProvider time, RSA? keyPair = null)
    {
        if (!Directory.Exists(keyDirectory))
        {
            DatabaseInitializer.CreatePrivateDirectory(keyDirectory);
        }

        var now = time.GetUtcNow();
        using var rsa = keyPair ?? GenerateKeyPair();
        var request = new CertificateRequest(
            $"{GeneratedSubjectPrefix} {now:yyyy-MM-dd HH:mm:ss}Z",
            rsa,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1
        );
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true)
        );
        using var selfSigned = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(5));
        var pfx = selfSigned.Export(X509ContentType.Pkcs12);
        try
        {
            var thumbprint = selfSigned.GetCertHashString(HashAlgorithmName.SHA256);
            var file = Path.Combine(keyDirectory, $"blazorvault-{now:yyyyMMdd-HHmmss}-{thumbprint[..12].ToLowerInvariant()}.pfx");
            WritePrivateFile(file, pfx);
            return Open(file, null, CertificateSource.KeyDirectory);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pfx);
        }
    }

    /// <summary>Moves a key-directory PFX into <c>retired/</c>: no longer loaded, but nothing is deleted.</summary>
    internal static string Retire(EncryptionCertificate certificate, string keyDirectory)
    {
        var retired = Path.Combine(keyDirectory, RetiredFolderName);
        DatabaseInitializer.CreatePrivateDirectory(retired);
        var destination = Path.Combine(retired, Path.GetFileName(certificate.Location));
        File.Move(certificate.Location, destination, overwrite: false);
        return destination;
    }

    /// <summary>A certificate in <c>retired/</c> by thumbprint: only for reading Data Protection keys protected with it.</summary>
    internal static EncryptionCertificate? FindRetired(string keyDirectory, string thumbprint)
    {
        var retired = Path.Combine(keyDirectory, RetiredFolderName);
        foreach (var file in Directory.Exists(retired) ? Directory.EnumerateFiles(retired, "*.pfx") : [])
        {
            try
            {
                var certificate = Open(file, null, CertificateSource.KeyDirectory);
                if (string.Equals(certificate.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))
                {
                    return certificate;
                }

                certificate.Dispose();
            }
            catch (KeyRingException)
            {
                // A damaged retired file only costs the Data Protection keys it protected (users sign in again).
            }
        }

        return null;
    }

    /// <summary>
    /// The PFX files directly in the key directory; an unreadable directory is a problem (or, at start-up, an exception).
    /// </summary>
    internal static IReadOnlyList<string> ListKeyFiles(string keyDirectory, List<string>? problems)
    {
        try
        {
            return [.. Directory.EnumerateFiles(keyDirectory, "*.pfx").Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (problems is not null && ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"The key directory {keyDirectory} cannot be read ({ex.GetType().Name}).");
            return [];
        }
    }

    /// <summary>Opens a key-directory PFX (no password), first making it owner-only.</summary>
    internal static EncryptionCertificate OpenKeyDirectoryFile(string file)
    {
        RestrictToOwner(file);
        return Open(file, null, CertificateSource.KeyDirectory);
    }

    private static EncryptionCertificate Open(string file, string? password, CertificateSource source)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(file, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            throw new KeyRingException(
                $"The certificate file {file} cannot be opened ({ex.GetType().Name}). If it has a password, put it in the environment "
                    + "variable named by Encryption:CertificatePasswordVariable; otherwise replace the file.",
                ex
            );
        }
        catch (FileNotFoundException ex)
        {
            throw new KeyRingException(
                $"The certificate file {file} does not exist. Fix Encryption:CertificatePath or restore the file from your key backup.",
                ex
            );
        }

        return new EncryptionCertificate(certificate, source, file);
    }

    private static EncryptionCertificate FromStore(string thumbprint)
    {
        var wanted = thumbprint.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            try
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            }
            catch (CryptographicException)
            {
                continue;
            }

            foreach (var candidate in store.Certificates)
            {
                if (
                    string.Equals(candidate.Thumbprint, wanted, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(candidate.GetCertHashString(HashAlgorithmName.SHA256), wanted, StringComparison.OrdinalIgnoreCase)
                )
                {
                    return new EncryptionCertificate(
                        candidate,
                        CertificateSource.CertificateStore,
                        $"{location}/My {candidate.Thumbprint}"
                    );
                }
            }
        }

        throw new KeyRingException(
            $"No certificate with thumbprint {wanted} is in the CurrentUser or LocalMachine 'My' store. Import it (with its private key) "
                + "or correct Encryption:CertificateThumbprint."
        );
    }

    private static void WritePrivateFile(string file, byte[] content)
    {
        var temporary = file + ".tmp";
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = OwnerReadWrite;
        }

        using (var stream = new FileStream(temporary, streamOptions))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, file);
    }

    private static void RestrictToOwner(string file)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & ~OwnerReadWrite) != 0)
        {
            File.SetUnixFileMode(file, OwnerReadWrite);
        }
    }
}
