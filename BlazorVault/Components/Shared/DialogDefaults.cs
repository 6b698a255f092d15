using MudBlazor;

namespace BlazorVault.Components.Shared;

/// <summary>
/// The dialog shapes the app uses. MudBlazor's <see cref="DialogOptions"/> is a record with init-only properties,
/// so one instance can be shared by every dialog.
/// </summary>
internal static class DialogDefaults
{
    /// <summary>A dialog takes the keyboard focus to its first field or button when it opens (WCAG 2.4.3).</summary>
    public static readonly DialogOptions ExtraSmall = new()
    {
        MaxWidth = MaxWidth.ExtraSmall,
        FullWidth = true,
        DefaultFocus = DefaultFocus.FirstChild,
    };

    public static readonly DialogOptions Small = ExtraSmall with { MaxWidth = MaxWidth.Small };

    public static readonly DialogOptions Medium = ExtraSmall with { MaxWidth = MaxWidth.Medium };

    /// <summary>For a dialog that shows something only once (a one-time link): a stray click outside does not close it.</summary>
    public static readonly DialogOptions SmallNoBackdropClick = Small with { BackdropClick = false };
}
