using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using BlazorVault.Core.Audit.Entities;

namespace BlazorVault.Core.Audit;

/// <summary>The canonical form of an event and its hash, shared by the writer and the verifier.</summary>
/// <remarks>
/// The canonical form is compact JSON with the fields in a fixed order and the time as UTC ticks, so it does not
/// depend on culture, time zone or how a database returns dates. SHA-256 is the and DESIGN.md's choice.
/// <para>
/// The node that wrote the event (<see cref="AuditEvent.Server"/>) came later: it is written last, and only when it is not
/// null, so the events written before it existed keep exactly the canonical form, and the hash, they were written with.
/// Removing the server from a newer event therefore breaks its hash like any other edit.
/// </para>
/// </remarks>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first event.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string ComputeHash(AuditEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", e.Sequence);
            json.WriteString("at", e.OccurredAt.Ticks.ToString(CultureInfo.InvariantCulture));
            json.WriteString("actorId", e.ActorId);
            json.WriteString("actor", e.ActorName);
            json.WriteString("action", e.Action);
            json.WriteString("targetType", e.TargetType);
            json.WriteString("targetId", e.TargetId);
            if (e.CustomerId is { } customerId)
            {
                json.WriteNumber("customerId", customerId);
            }
            else
            {
                json.WriteNull("customerId");
            }

            json.WriteString("ip", e.IpAddress);
            json.WriteString("ua", e.UserAgent);
            json.WriteString("details", e.Details);
            json.WriteString("prev", e.PreviousHash);
            if (e.Server is { } server)
            {
                json.WriteString("server", server);
            }

            json.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }
}
