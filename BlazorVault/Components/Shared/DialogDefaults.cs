using MudBlazor;

namespace BlazorVault.Components.Shared;

/// <summary>
/// The dialog shapes the app uses. MudBlazor's <see cref="DialogOptions"/> is a record with init-only properties,
/// so one instance can be shared by every dialog.
/// </summary>
internal static class DialogDefaults
{
    public static readonly DialogOptions ExtraSmall = new() { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true };

    public static readonly DialogOptions Small = new() { MaxWidth = MaxWidth.Small, FullWidth = true };

    public static readonly DialogOptions Medium = new() { MaxWidth = MaxWidth.Medium, FullWidth = true };

    /// <summary>For a dialog that shows something only once (a one-time link): a stray click outside does not close it.</summary>
    public static readonly DialogOptions SmallNoBackdropClick = Small with { BackdropClick = false };
}
