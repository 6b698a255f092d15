using BlazorVault.Core.Crypto;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.Crypto.Core;

/// <summary>
/// What the key and secret tests start from, on SQLite and on PostgreSQL: an administrator signed in and
/// <see cref="SecretCount"/> secrets, all wrapped by the test certificate.
/// </summary>
public abstract class SeededSecretsTestBase(ITestDatabaseSource databases) : IAsyncLifetime
{
    protected const int SecretCount = 25;

    protected CoreTestHost Host { get; private set; } = default!;

    protected EncryptionService Encryption => Host.Get<EncryptionService>();

    protected EncryptionStatusService Status => Host.Get<EncryptionStatusService>();

    public async ValueTask InitializeAsync()
    {
        Host = await CoreTestHost.StartAsync(databases: databases);
        await Host.ActAsAsync(await Host.CreateAgentAsync("ada@example.com", isAdmin: true));
        await using var db = await Host.OpenDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        for (var i = 0; i < SecretCount; i++)
        {
            await Host.Get<SecretStore>().WriteAsync(db, Slot(i), Value(i), CancellationToken.None);
        }

        await transaction.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected static SecretSlot Slot(int i) => new("test", $"row-{i}", "password");

    protected static string Value(int i) => $"value-{i}-{new string('x', i)}";

    protected async Task AssertAllValuesReadableAsync()
    {
        for (var i = 0; i < SecretCount; i++)
        {
            Assert.Equal(Value(i), await Host.Get<SecretStore>().ReadAsync(Slot(i), CancellationToken.None));
        }
    }
}
