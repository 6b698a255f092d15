namespace BlazorVault.Core.Common;

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalCount, int Page, int PageSize);

public static class Paging
{
    public const int MaxPageSize = 200;

    /// <summary>
    /// Clamps a requested page and size to sane bounds: no caller can ask for the whole table, and the row offset
    /// (page × size) always fits an int.
    /// </summary>
    public static (int Page, int PageSize) Normalize(int page, int pageSize)
    {
        var size = Math.Clamp(pageSize, 1, MaxPageSize);
        return (Math.Clamp(page, 0, (int.MaxValue / size) - 1), size);
    }
}
