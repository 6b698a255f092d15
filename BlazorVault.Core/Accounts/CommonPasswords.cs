using System.Globalization;
using System.IO.Compression;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// The block-list of common passwords: the 49,193 entries of at least 4 characters from the zxcvbn-ts project's
/// <c>passwords-common</c> list (npm <c>@zxcvbn-ts/language-common</c> 4.1.3, MIT licence). That list holds the
/// passwords seen most often in Mark Burnett's 10-million-password leak corpus, ordered by frequency. It is
/// embedded gzipped; Accounts/Data/README.md says how the file was made.
/// </summary>
/// <remarks>
/// Matching ignores case. A listed password with digits, punctuation or symbols added to its end ("Password123",
/// "Dragon!", "abc123!!") counts as listed too. The check first removes the trailing characters that are neither
/// letters nor digits, and then the trailing digits as well, and looks each stem up if it still has at least
/// 4 characters.
/// </remarks>
internal sealed class CommonPasswords
{
    private const string ResourceName = "BlazorVault.Core.Accounts.CommonPasswords";
    private const string SourceName = "@zxcvbn-ts/language-common 4.1.3 (npm)";
    private const int MinStemLength = 4;

    private static readonly Lazy<CommonPasswords> SharedInstance = new(Load);

    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _passwords;

    private CommonPasswords(HashSet<string> passwords)
    {
        _passwords = passwords.GetAlternateLookup<ReadOnlySpan<char>>();
        Count = passwords.Count;
        Source = string.Create(CultureInfo.InvariantCulture, $"{SourceName}, top {Count:N0}");
    }

    public static CommonPasswords Shared => SharedInstance.Value;

    public int Count { get; }

    public string Source { get; }

    public bool Contains(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return _passwords.Contains(password) || StemIsListed(password, char.IsLetterOrDigit) || StemIsListed(password, char.IsLetter);
    }

    private bool StemIsListed(ReadOnlySpan<char> password, Func<char, bool> endsStem)
    {
        var end = password.Length;
        while (end > 0 && !endsStem(password[end - 1]))
        {
            end--;
        }

        return end >= MinStemLength && _passwords.Contains(password[..end]);
    }

    private static CommonPasswords Load()
    {
        using var resource =
            typeof(CommonPasswords).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress));
        var passwords = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            passwords.Add(line);
        }

        return new CommonPasswords(passwords);
    }
}
