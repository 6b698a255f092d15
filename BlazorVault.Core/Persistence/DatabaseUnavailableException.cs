using System.Net.Sockets;
using Npgsql;

namespace BlazorVault.Core.Persistence;

/// <summary>
/// The configured PostgreSQL database cannot be used at start-up, said so that an operator knows what to do: the
/// server, the database and the user by name, never the connection string or its password.
/// </summary>
public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>What went wrong in an operator's words, or null for a failure that is not about reaching the database.</summary>
    internal static string? Explain(NpgsqlException exception, string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var server = $"{target.Host}:{target.Port}";
        return exception switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                $"the PostgreSQL database \"{target.Database}\" does not exist on {server}. Create it first: "
                    + $"CREATE DATABASE \"{target.Database}\" OWNER \"{target.Username}\";",
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } =>
                $"PostgreSQL on {server} refused user \"{target.Username}\": check the user and password in "
                    + "ConnectionStrings:BlazorVault (and pg_hba.conf).",
            PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } =>
                $"user \"{target.Username}\" may not create BlazorVault's tables in \"{target.Database}\" on {server}: make it the "
                    + "database's owner.",
            { InnerException: SocketException socket } =>
                $"PostgreSQL on {server} cannot be reached ({socket.SocketErrorCode}): check Host and Port in "
                    + "ConnectionStrings:BlazorVault and that the server accepts connections from this machine.",
            _ => null,
        };
    }
}
