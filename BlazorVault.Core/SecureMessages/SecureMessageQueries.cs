using BlazorVault.Core.SecureMessages.Entities;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.SecureMessages;

internal static class SecureMessageQueries
{
    /// <summary>
    /// Ends the selected messages in one statement: content deleted, status and closing time set (and where it was viewed
    /// from).
    /// </summary>
    public static Task<int> EndAsync(
        this IQueryable<SecureMessage> messages,
        SecureMessageStatus status,
        DateTime now,
        string? viewedFrom,
        CancellationToken cancellationToken
    ) =>
        messages.ExecuteUpdateAsync(
            m =>
                m.SetProperty(x => x.Ciphertext, (byte[]?)null)
                    .SetProperty(x => x.Nonce, (byte[]?)null)
                    .SetProperty(x => x.Tag, (byte[]?)null)
                    .SetProperty(x => x.Status, status)
                    .SetProperty(x => x.ClosedAt, now)
                    .SetProperty(x => x.ViewedFromIp, x => viewedFrom ?? x.ViewedFromIp),
            cancellationToken
        );
}
