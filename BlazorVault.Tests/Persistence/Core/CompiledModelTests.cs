using System.Reflection;
using System.Text.RegularExpressions;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Persistence.CompiledModel;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Persistence.Core;

/// <summary>
/// The context starts from the checked-in compiled model instead of building its model from the entity configuration.
/// A configuration changed without regenerating it would run on a stale model, so these tests regenerate it as
/// <c>dotnet ef dbcontext optimize</c> does and compare, and check the migrations cover the model.
/// </summary>
public sealed partial class CompiledModelTests : IAsyncLifetime
{
    private CoreTestHost _host = default!;

    public async ValueTask InitializeAsync() => _host = await CoreTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Context_UsesTheCompiledModel()
    {
        await using var db = await NewContextAsync();

        Assert.IsType<BlazorVaultDbContextModel>(db.Model);
    }

    [Fact]
    public async Task CompiledModel_IsWhatTheEntityConfigurationGeneratesToday()
    {
        await using var db = await NewContextAsync();
        // Without the generated assembly attribute: EF would then pick the model for PostgreSQL too; SQLite names it in UseModel.
        var generated = GenerateCompiledModel(db)
            .Where(file => !file.Path.EndsWith("AssemblyAttributes.cs", StringComparison.Ordinal))
            .ToList();
        var folder = Path.Combine(RepositoryRoot(), "BlazorVault.Core", "Persistence", "CompiledModel");
        var checkedIn = Directory.EnumerateFiles(folder, "*.cs").ToDictionary(file => Path.GetRelativePath(folder, file), File.ReadAllText);

        var stale = generated
            .Where(file => !checkedIn.TryGetValue(file.Path, out var code) || Normalize(code) != Normalize(file.Code))
            .Select(file => file.Path)
            .Concat(checkedIn.Keys.Where(name => generated.All(file => file.Path != name)))
            .ToList();

        Assert.True(
            stale.Count == 0,
            "The compiled model is stale ("
                + string.Join(", ", stale)
                + "); regenerate it with the command in BlazorVaultDbContext's remarks."
        );
    }

    [Fact]
    public async Task Migrations_CoverTheWholeModel()
    {
        await using var db = await NewContextAsync();

        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration creates: add a migration.");
    }

    /// <summary>A context configured as the app's: Identity's options shape the model.</summary>
    private Task<BlazorVaultDbContext> NewContextAsync() =>
        _host.Get<IDbContextFactory<BlazorVaultDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);

    /// <summary>The files <c>dotnet ef dbcontext optimize</c> writes, from the entity configuration (not the compiled model).</summary>
    private static IReadOnlyCollection<ScaffoldedFile> GenerateCompiledModel(BlazorVaultDbContext db)
    {
        var providerAssembly = typeof(SqliteDbContextOptionsBuilderExtensions).Assembly;
        var providerServicesType = providerAssembly.GetCustomAttribute<DesignTimeProviderServicesAttribute>()!.TypeName;
        var providerServices = (IDesignTimeServices)
            Activator.CreateInstance(providerAssembly.GetType(providerServicesType, throwOnError: true)!)!;
        var services = new ServiceCollection().AddEntityFrameworkDesignTimeServices().AddDbContextDesignTimeServices(db);
        providerServices.ConfigureDesignTimeServices(services);
        using var provider = services.BuildServiceProvider();
        return provider
            .GetRequiredService<ICompiledModelCodeGeneratorSelector>()
            .Select(new CompiledModelCodeGenerationOptions { Language = "C#" })
            .GenerateModel(
                db.GetService<IDesignTimeModel>().Model,
                new CompiledModelCodeGenerationOptions
                {
                    ContextType = typeof(BlazorVaultDbContext),
                    ModelNamespace = typeof(BlazorVaultDbContextModel).Namespace!,
                    Language = "C#",
                    UseNullableReferenceTypes = true,
                }
            );
    }

    /// <summary>Without what differs between two generations of one model: byte order mark, line ends, the random model id.</summary>
    private static string Normalize(string code) =>
        ModelId().Replace(code.TrimStart('\uFEFF').ReplaceLineEndings("\n").Trim(), "modelId: new Guid()");

    [GeneratedRegex("""modelId: new Guid\("[0-9a-f-]+"\)""")]
    private static partial Regex ModelId();

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
