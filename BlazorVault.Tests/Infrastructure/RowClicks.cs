using Microsoft.Playwright;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>Clicks on table rows the way an impatient agent does: at the first moment the row exists.</summary>
public static class RowClicks
{
    /// <summary>
    /// Opens <paramref name="path"/> and clicks the first element matching <paramref name="selector"/> in the same task that
    /// puts it in the page, before anything else can run. Notes the history length then, for <see cref="AssertOneNavigationAsync"/>.
    /// </summary>
    public static async Task OpenAndClickTheMomentItAppearsAsync(IPage page, string path, string selector)
    {
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit });
        await page.EvaluateAsync(
            """
            selector => {
                const click = () => {
                    const target = document.querySelector(selector);
                    if (!target) { return false; }
                    window.historyAtRowClick = history.length;
                    target.click();
                    return true;
                };
                if (!click()) {
                    new MutationObserver((_, observer) => click() && observer.disconnect())
                        .observe(document, { childList: true, subtree: true });
                }
            }
            """,
            selector
        );
    }

    /// <summary>The row click, now that its item is shown, made exactly one history entry.</summary>
    public static async Task AssertOneNavigationAsync(IPage page) =>
        Assert.Equal(1, await page.EvaluateAsync<int>("() => history.length - window.historyAtRowClick"));
}
