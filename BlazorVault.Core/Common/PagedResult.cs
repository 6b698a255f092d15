namespace BlazorVault.Core.Common;

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalCount, int Page, int PageSize);

public static class Paging
{
    public const int MaxPageSize = 200;

    /// <summary>Clamps a requested page and size to sane bounds so a caller cannot ask for the whole table.</summary>
    public static (int Page, int PageSize) Normalize(int page, int pageSize) =>
        (Math.Max(0, page), Math.Clamp(pageSize, 1, MaxPageSize));
}
