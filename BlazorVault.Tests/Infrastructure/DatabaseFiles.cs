using System.Text;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>The raw bytes of an installation's SQLite files (db, -wal, -shm), read even while the app has them open.</summary>
public static class DatabaseFiles
{
    public static async Task<byte[][]> ReadAsync(string dataDirectory)
    {
        var files = Directory.GetFiles(Path.Combine(dataDirectory, "db"));
        Assert.Contains(files, f => f.EndsWith("blazorvault.db", StringComparison.Ordinal));
        return await Task.WhenAll(
            files.Select(async f =>
            {
                await using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer);
                return buffer.ToArray();
            })
        );
    }

    public static bool Contain(IEnumerable<byte[]> files, byte[] needle) => files.Any(bytes => bytes.AsSpan().IndexOf(needle) >= 0);

    /// <summary>Fails when any of the files holds <paramref name="value"/> in UTF-8 or UTF-16.</summary>
    public static void AssertAbsent(IReadOnlyCollection<byte[]> files, string value, string what)
    {
        Assert.False(Contain(files, Encoding.UTF8.GetBytes(value)), $"{what} found (UTF-8) in the database files");
        Assert.False(Contain(files, Encoding.Unicode.GetBytes(value)), $"{what} found (UTF-16) in the database files");
    }
}
