namespace BlazorVault.Tests.Infrastructure;

/// <summary>
/// A folder under the system temp directory, deleted with everything in it on dispose. Used as a data folder, it
/// holds the shared test certificate in <c>keys/</c> unless <paramref name="withTestKey"/> is false (then the app
/// generates its own on first start, as a new installation does).
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(bool withTestKey = true)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "blazorvault-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (withTestKey)
        {
            TestCertificates.Install(System.IO.Path.Combine(Path, "keys"));
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a closing host; the OS temp cleaner will get it.
        }
    }
}
