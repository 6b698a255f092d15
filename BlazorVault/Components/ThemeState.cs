namespace BlazorVault.Components;

/// <summary>Light or dark, per browser: kept in a cookie so static and interactive pages agree.</summary>
public sealed class ThemeState
{
    public const string CookieName = "bv-theme";

    public bool IsDarkMode { get; set; }

    public static bool IsDark(string? cookieValue) => cookieValue == "dark";
}
