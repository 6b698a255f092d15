using BlazorVault.Cli;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Hosting;

// A verb (`create-admin`, `seed-demo`, `healthcheck`, `keys status`...) runs a command on the same services and exits.
var command = CommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(command is null ? args : []);
try
{
    builder.AddBlazorVault();
    if (command is not null)
    {
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddScoped<ICurrentActor, SystemActor>();
    }

    var app = builder.Build();
    if (command is not null)
    {
        app.UseConfiguredAddressForLinks();
        return await command.RunAsync(app.Services, Console.Out, Console.Error);
    }

    await app.InitializeBlazorVaultAsync();
    app.UseBlazorVault();
    await app.RunAsync();
    return 0;
}
catch (KeyRingException ex)
{
    // A certificate BlazorVault must not use (e.g. RSA under 3072 bits), or a key directory that lost the
    // certificates the database needs: say what to do and stop.
    await Console.Error.WriteLineAsync($"BlazorVault cannot start: {ex.Message}");
    return 3;
}
catch (DatabaseUnavailableException ex)
{
    // The configured PostgreSQL database is missing, refuses the user or cannot be reached: say which and stop.
    await Console.Error.WriteLineAsync($"BlazorVault cannot start: {ex.Message}");
    return 4;
}

/// <summary>The entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
