using BlazorVault.Core.Access.Entities;

namespace BlazorVault.Core.Access.Models;

public sealed record AccessNoticeView(long Id, AccessNoticeKind Kind, string Text, string Link, DateTime CreatedAt, bool IsRead);

/// <summary>The app bar's notifications: the newest, and how many of all are unread.</summary>
public sealed record AccessNoticeList(IReadOnlyList<AccessNoticeView> Items, int UnreadCount);
