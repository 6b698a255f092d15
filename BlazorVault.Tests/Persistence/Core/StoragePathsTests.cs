using BlazorVault.Core.Persistence;
using Microsoft.Extensions.Configuration;

namespace BlazorVault.Tests.Persistence.Core;

public sealed class StoragePathsTests
{
    [Fact]
    public void Paths_FollowConfiguration_WithKeysOutsideTheDataFolderWhenAsked()
    {
        var paths = StoragePaths.FromConfiguration(
            Configuration(("Storage:DataDirectory", "/srv/vault"), ("Storage:KeyDirectory", "/etc/blazorvault/keys")),
            "/opt/app"
        );
        var defaults = StoragePaths.FromConfiguration(Configuration(), "/opt/app");

        Assert.Equal("/srv/vault/db", paths.DatabaseDirectory);
        Assert.Equal("/etc/blazorvault/keys", paths.KeyDirectory);
        Assert.Contains("Data Source=/srv/vault/db/blazorvault.db", paths.ConnectionString, StringComparison.Ordinal);
        Assert.Equal(("/opt/app/data", "/opt/app/data/keys"), (defaults.DataDirectory, defaults.KeyDirectory));
        Assert.Equal(DatabaseProvider.Sqlite, defaults.Provider);
    }

    [Fact]
    public void PostgreSql_TakesTheConfiguredConnectionString()
    {
        const string ConnectionString = "Host=db.internal;Port=5432;Database=blazorvault;Username=vault";

        var paths = StoragePaths.FromConfiguration(
            Configuration(("Database:Provider", "PostgreSQL"), ("ConnectionStrings:BlazorVault", ConnectionString)),
            "/opt/app"
        );

        Assert.Equal((DatabaseProvider.PostgreSQL, ConnectionString), (paths.Provider, paths.ConnectionString));
    }

    [Fact]
    public void PostgreSql_WithoutAConnectionString_StopsTheStartWithWhatToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            StoragePaths.FromConfiguration(Configuration(("Database:Provider", "PostgreSQL")), "/opt/app")
        );

        Assert.Contains("ConnectionStrings__BlazorVault", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownProvider_StopsTheStartWithTheSupportedOnes()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            StoragePaths.FromConfiguration(Configuration(("Database:Provider", "MySql")), "/opt/app")
        );

        Assert.Contains("Sqlite (the default) or PostgreSQL", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
