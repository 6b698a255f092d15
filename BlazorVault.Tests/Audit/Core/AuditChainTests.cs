using System.Security.Cryptography;
using System.Text;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Entities;

namespace BlazorVault.Tests.Audit.Core;

/// <summary>The canonical form the hash covers: unchanged for the events written before the server was recorded.</summary>
public sealed class AuditChainTests
{
    /// <summary>The canonical form of <see cref="Event"/> as every event was hashed before the server was recorded.</summary>
    private const string CanonicalBeforeServers =
        "{\"seq\":7,\"at\":\"639029198450000000\",\"actorId\":\"u1\",\"actor\":\"Ada\",\"action\":\"settings.changed\","
        + "\"targetType\":\"Settings\",\"targetId\":\"email\",\"customerId\":3,\"ip\":\"10.0.0.1\",\"ua\":\"Firefox\","
        + "\"details\":\"{}\",\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\"}";

    [Fact]
    public void AnEventWithoutAServer_HashesExactlyAsEventsDidBeforeServersWereRecorded()
    {
        Assert.Equal(Sha256(CanonicalBeforeServers), AuditChain.ComputeHash(Event(server: null)));
    }

    [Fact]
    public void AnEventWithAServer_HashesTheServerLast()
    {
        var canonical = CanonicalBeforeServers[..^1] + ",\"server\":\"web-1:8080\"}";

        Assert.Equal(Sha256(canonical), AuditChain.ComputeHash(Event(server: "web-1:8080")));
    }

    private static AuditEvent Event(string? server) =>
        new()
        {
            Sequence = 7,
            OccurredAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            ActorId = "u1",
            ActorName = "Ada",
            Action = "settings.changed",
            TargetType = "Settings",
            TargetId = "email",
            CustomerId = 3,
            IpAddress = "10.0.0.1",
            UserAgent = "Firefox",
            Details = "{}",
            PreviousHash = AuditChain.Genesis,
            Server = server,
        };

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
