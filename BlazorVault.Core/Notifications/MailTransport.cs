using System.Net;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings.Sections;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace BlazorVault.Core.Notifications;

/// <summary>A connection to where emails go: the SMTP server, or the pickup folder when no server is configured.</summary>
internal interface IMailSession : IAsyncDisposable
{
    /// <returns>The .eml file's name when the email went to the pickup folder.</returns>
    Task<string?> SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>Opens a mail session with the email settings of the moment. Its members are internal to Core.</summary>
public sealed class MailTransport(StoragePaths paths, TimeProvider time)
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    internal async Task<IMailSession> OpenAsync(EmailSettings settings, string? smtpPassword, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            return new PickupSession(paths.MailPickupDirectory, time);
        }

        NetworkCredential? credentials = null;
        if (!string.IsNullOrEmpty(settings.SmtpUser))
        {
            // Signing in with an empty password would only fail at the server; say what is missing before connecting instead.
            credentials = string.IsNullOrEmpty(smtpPassword)
                ? throw new InvalidOperationException(
                    "An SMTP user name is set but no SMTP password is stored: type the password in the Email settings and save."
                )
                : new NetworkCredential(settings.SmtpUser, smtpPassword);
        }

        var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            var security = settings.TlsMode switch
            {
                SmtpTlsMode.Tls => SecureSocketOptions.SslOnConnect,
                SmtpTlsMode.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, security, cancellationToken);
            if (credentials is not null)
            {
                await client.AuthenticateAsync(credentials, cancellationToken);
            }

            return new SmtpSession(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Whether trying again cannot help: the server refused with a permanent (5xx) reply.</summary>
    internal static bool IsPermanent(Exception exception) => exception is SmtpCommandException { StatusCode: var code } && (int)code >= 500;

    /// <summary>The server's reason, as it said it, for the outbox and the test email.</summary>
    internal static string Describe(Exception exception) =>
        exception switch
        {
            SmtpCommandException smtp => $"{(int)smtp.StatusCode} {smtp.Message}",
            AuthenticationException => $"The SMTP server refused the user name or password: {exception.Message}",
            _ => exception.Message,
        };

    internal static MimeMessage Compose(EmailSettings settings, string to, string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.FromAddress));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>An .eml file in the pickup folder, readable by this account only: it can hold a set-password link.</summary>
    internal static async Task WritePickupFileAsync(MimeMessage message, string path, FileMode mode, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var file = new FileStream(path, options);
        await message.WriteToAsync(file, cancellationToken);
    }

    private sealed class SmtpSession(SmtpClient client) : IMailSession
    {
        public async Task<string?> SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            await client.SendAsync(message, cancellationToken);
            return null;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(true, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is IOException or SmtpProtocolException or OperationCanceledException)
            {
                // The emails are sent; a connection that breaks while closing changes nothing.
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    private sealed class PickupSession(string directory, TimeProvider time) : IMailSession
    {
        public async Task<string?> SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(directory);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var name = $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml";
            await WritePickupFileAsync(message, Path.Combine(directory, name), FileMode.CreateNew, cancellationToken);
            return name;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
