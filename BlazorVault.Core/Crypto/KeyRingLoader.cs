using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BlazorVault.Core.Persistence;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// Builds the key ring at start-up from the key directory's PFX files, the machine's certificate store and a
/// configured PFX path; generates a self-signed RSA-3072 certificate in the key directory when there is none.
/// </summary>
public static class KeyRingLoader
{
    public const string RetiredFolderName = "retired";

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static KeyRing Load(EncryptionOptions options, StoragePaths paths, TimeProvider time)
    {
        // An existing folder keeps its permissions: the healthcheck reports a folder others can read.
        if (!Directory.Exists(paths.KeyDirectory))
        {
            DatabaseInitializer.CreatePrivateDirectory(paths.KeyDirectory);
        }

        var loadedFiles = new HashSet<string>(StringComparer.Ordinal);
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
        }

        certificates.AddRange(ScanKeyDirectory(paths.KeyDirectory, loadedFiles));
        var generated = new List<string>();
        if (certificates.Count == 0)
        {
            var created = Generate(paths.KeyDirectory, time);
            loadedFiles.Add(created.Location);
            certificates.Add(created);
            generated.Add(created.Thumbprint);
        }

        var distinct = certificates.DistinctBy(c => c.Thumbprint).ToList();
        var preferred = configured ?? distinct.OrderByDescending(c => c.Certificate.NotBefore).First();
        return new KeyRing(distinct, preferred, generated, known =>
        {
            var problems = new List<string>();
            var added = ScanKeyDirectory(paths.KeyDirectory, loadedFiles, problems).Where(c => !known.Contains(c.Thumbprint, StringComparer.OrdinalIgnoreCase)).ToList();
            return (added, problems.Count == 0 ? null : string.Join(" ", problems));
        });
    }

    /// <summary>A new self-signed RSA-3072 certificate, written as an owner-only PFX in the key directory.</summary>
    public static EncryptionCertificate Generate(string keyDirectory, TimeProvider time)
    {
        if (!Directory.Exists(keyDirectory))
        {
            DatabaseInitializer.CreatePrivateDirectory(keyDirectory);
        }

        var now = time.GetUtcNow();
        using var rsa = RSA.Create(EncryptionCertificate.MinimumKeySize);
        var request = new CertificateRequest(
            $"CN=BlazorVault data encryption {now:yyyy-MM-dd HH:mm:ss}Z", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
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
    public static string Retire(EncryptionCertificate certificate, string keyDirectory)
    {
        var retired = Path.Combine(keyDirectory, RetiredFolderName);
        DatabaseInitializer.CreatePrivateDirectory(retired);
        var destination = Path.Combine(retired, Path.GetFileName(certificate.Location));
        File.Move(certificate.Location, destination, overwrite: false);
        return destination;
    }

    /// <summary>Certificates in <c>retired/</c>: only for reading Data Protection keys protected with them.</summary>
    public static IReadOnlyList<X509Certificate2> LoadRetired(string keyDirectory)
    {
        var retired = Path.Combine(keyDirectory, RetiredFolderName);
        return Directory.Exists(retired)
            ? [.. Directory.EnumerateFiles(retired, "*.pfx").Select(f => X509CertificateLoader.LoadPkcs12FromFile(f, null, X509KeyStorageFlags.EphemeralKeySet))]
            : [];
    }

    /// <param name="problems">Null at start-up (a bad file stops the start); while running, bad files are reported here and retried next time.</param>
    private static List<EncryptionCertificate> ScanKeyDirectory(string keyDirectory, HashSet<string> loadedFiles, List<string>? problems = null)
    {
        var found = new List<EncryptionCertificate>();
        foreach (var file in Directory.EnumerateFiles(keyDirectory, "*.pfx").Order(StringComparer.Ordinal))
        {
            if (loadedFiles.Contains(file))
            {
                continue;
            }

            try
            {
                RestrictToOwner(file);
                found.Add(Open(file, null, CertificateSource.KeyDirectory));
                loadedFiles.Add(file);
            }
            catch (KeyRingException ex) when (problems is not null)
            {
                problems.Add(ex.Message);
            }
        }

        return found;
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
                $"The certificate file {file} cannot be opened ({ex.GetType().Name}). If it has a password, put it in the environment variable named by Encryption:CertificatePasswordVariable; otherwise replace the file.", ex);
        }
        catch (FileNotFoundException ex)
        {
            throw new KeyRingException($"The certificate file {file} does not exist. Fix Encryption:CertificatePath or restore the file from your key backup.", ex);
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
                if (string.Equals(candidate.Thumbprint, wanted, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(candidate.GetCertHashString(HashAlgorithmName.SHA256), wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return new EncryptionCertificate(candidate, CertificateSource.CertificateStore, $"{location}/My {candidate.Thumbprint}");
                }
            }
        }

        throw new KeyRingException(
            $"No certificate with thumbprint {wanted} is in the CurrentUser or LocalMachine 'My' store. Import it (with its private key) or correct Encryption:CertificateThumbprint.");
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
