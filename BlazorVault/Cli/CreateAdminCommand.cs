using System.Text;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Persistence;
using BlazorVault.Hosting;

namespace BlazorVault.Cli;

/// <summary><c>create-admin --email E</c>: prompts for a password, or generates one and prints it once.</summary>
internal sealed class CreateAdminCommand(string? email, string? name, string? password) : ICliCommand
{
    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            await error.WriteLineAsync("create-admin needs --email, e.g. create-admin --email admin@example.com");
            return 2;
        }

        await StartupTasks.InitializeAsync(services);

        var chosen = password ?? (Console.IsInputRedirected ? null : ReadHidden(output, "Password (leave empty to generate one): "));
        var generated = string.IsNullOrEmpty(chosen);
        var input = new NewAccountInput
        {
            Email = email,
            DisplayName = string.IsNullOrWhiteSpace(name) ? email.Split('@')[0] : name,
            Password = generated ? PasswordGenerator.Generate() : chosen!,
        };

        await using var scope = services.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<SetupService>().CreateAdminAsync(input);
        }
        catch (ValidationFailedException ex)
        {
            await error.WriteLineAsync($"Could not create the administrator: {ex.Message}");
            return 1;
        }

        await output.WriteLineAsync($"Created administrator {input.Email}.");
        if (generated)
        {
            await output.WriteLineAsync($"Password (shown once, store it now): {input.Password}");
        }

        return 0;
    }

    private static string ReadHidden(TextWriter output, string prompt)
    {
        output.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                output.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
