namespace BlazorVault.Tests.Codebase;

/// <summary>
/// The shape a newcomer relies on: a feature's name finds all of it, and hand-written code stays readable without
/// scrolling sideways. Generated migrations and the compiled EF model are exempt from the line length.
/// </summary>
public sealed class CodeLayoutTests
{
    private const int MaxLineLength = 140;

    private static readonly string[] Features =
    [
        "Access",
        "Accounts",
        "Audit",
        "Crypto",
        "CustomObjects",
        "Customers",
        "Jobs",
        "Notifications",
        "SecureMessages",
        "Settings",
        "Tickets",
    ];

    private static readonly string[] TestKinds = ["Core", "Web", "Components", "EndToEnd"];

    private static readonly string[] HandWrittenExtensions = [".cs", ".razor", ".js", ".css", ".sh"];

    private static readonly string[] GeneratedFolders = ["bin", "obj", "Migrations", "CompiledModel", "node_modules", ".git"];

    [Fact]
    public void EveryFeature_HasTheSameFolderName_InCoreComponentsAndTests()
    {
        var root = RepositoryRoot();
        var missing = Features
            .SelectMany(feature =>
                new[]
                {
                    Path.Combine("BlazorVault.Core", feature),
                    Path.Combine("BlazorVault.Tests", feature),
                    Path.Combine("BlazorVault", "Components", feature),
                }
            )
            .Where(folder => !Directory.Exists(Path.Combine(root, folder)))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void TestsAreGroupedByFeature_NeverInAFlatFolderOfMixedFeatures()
    {
        var root = Path.Combine(RepositoryRoot(), "BlazorVault.Tests");
        var flat = TestKinds.Where(kind => Directory.Exists(Path.Combine(root, kind))).ToList();

        Assert.Empty(flat);
    }

    [Fact]
    public void HandWrittenCode_KeepsEveryLineWithin140Characters()
    {
        var root = RepositoryRoot();
        var tooLong = Directory
            .EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(file => HandWrittenExtensions.Contains(Path.GetExtension(file)))
            .Where(file => !Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar).Any(GeneratedFolders.Contains))
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, number: index + 1)))
            .Where(x => x.line.Length > MaxLineLength)
            .Select(x => $"{Path.GetRelativePath(root, x.file)}:{x.number} ({x.line.Length} characters)")
            .ToList();

        Assert.True(tooLong.Count == 0, $"{tooLong.Count} lines over {MaxLineLength} characters:\n" + string.Join('\n', tooLong.Take(50)));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BlazorVault.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("BlazorVault.sln not found above " + AppContext.BaseDirectory);
    }
}
