namespace BlazorVault.Core.Access.Entities;

public enum AccessNoticeKind
{
    /// <summary>To an approver: an agent asks for access.</summary>
    AccessRequested = 0,

    /// <summary>To the requester: their request was approved or denied.</summary>
    AccessDecided = 1,

    /// <summary>To every administrator: an agent used break-glass. Shown as a banner until dismissed.</summary>
    BreakGlass = 2,
}

/// <summary>One entry of a user's notifications in the app bar. It holds no secret: who, what and where, and a link.</summary>
public sealed class AccessNotice
{
    public const int TextMaxLength = 500;
    public const int LinkMaxLength = 300;

    public AccessNotice(string userId, AccessNoticeKind kind, string text, string link, DateTime createdAt, int? requestId)
    {
        UserId = userId;
        Kind = kind;
        Text = text;
        Link = link;
        CreatedAt = createdAt;
        RequestId = requestId;
    }

    private AccessNotice() { }

    public long Id { get; private set; }

    /// <summary>Who sees it.</summary>
    public string UserId { get; private set; } = "";

    public AccessNoticeKind Kind { get; private set; }

    public string Text { get; private set; } = "";

    /// <summary>A path inside the application.</summary>
    public string Link { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public DateTime? ReadAt { get; private set; }

    /// <summary>The access request it is about, if any: deciding the request settles every approver's notice of it.</summary>
    public int? RequestId { get; private set; }
}
