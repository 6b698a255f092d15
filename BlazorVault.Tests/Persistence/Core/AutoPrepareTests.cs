using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BlazorVault.Tests.Persistence.Core;

/// <summary>
/// On PostgreSQL the statements the app runs often are planned once per connection: Npgsql prepares them, unless the
/// operator's connection string sets <c>Max Auto Prepare</c> (to 0 behind a pooler that cannot keep them).
/// </summary>
public sealed class AutoPrepareTests(PostgresServer postgres)
{
    [Theory]
    [InlineData("Host=db.example;Database=vault", PersistenceServiceCollectionExtensions.AutoPreparedStatements)]
    [InlineData("Host=db.example;Database=vault;Max Auto Prepare=0", 0)]
    [InlineData("Host=db.example;Database=vault;MaxAutoPrepare=8", 8)]
    public void TheConnectionString_PreparesStatements_UnlessTheOperatorSetsIt(string configured, int expected)
    {
        var used = new NpgsqlConnectionStringBuilder(PersistenceServiceCollectionExtensions.PreparingStatements(configured));

        Assert.Equal(expected, used.MaxAutoPrepare);
        Assert.Equal("db.example", used.Host);
        Assert.Equal("vault", used.Database);
    }

    [Fact]
    public async Task AStatementRunOften_IsPreparedOnItsConnection()
    {
        await using var host = await CoreTestHost.StartAsync(databases: postgres);
        await using var db = await host.OpenDbAsync();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(0, await db.Customers.CountAsync(c => c.Name == "Nobody Ltd", TestContext.Current.CancellationToken));
        }

        var prepared = await db
            .Database.SqlQueryRaw<string>("""SELECT statement AS "Value" FROM pg_prepared_statements""")
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains(prepared, statement => statement.Contains("\"Customers\"", StringComparison.Ordinal));
    }
}
