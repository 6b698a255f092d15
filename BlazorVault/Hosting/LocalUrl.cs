namespace BlazorVault.Hosting;

/// <summary>Return URLs come from the query string or a form: only paths on this site are followed.</summary>
internal static class LocalUrl
{
    /// <summary>
    /// True for "", "/path", "path?query": false for anything with a scheme ("https:", "javascript:"), a host
    /// ("//evil", "/\evil", "\evil") or control characters, which browsers strip to build such a host.
    /// </summary>
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        if (
            url.StartsWith("//", StringComparison.Ordinal)
            || url.StartsWith("/\\", StringComparison.Ordinal)
            || url[0] == '\\'
            || url.Any(char.IsControl)
        )
        {
            return false;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var firstDelimiter = url.IndexOfAny(['/', '?', '#']);
        if (colon >= 0 && (firstDelimiter < 0 || colon < firstDelimiter))
        {
            return false;
        }

        return Uri.IsWellFormedUriString(url, UriKind.Relative);
    }
}
