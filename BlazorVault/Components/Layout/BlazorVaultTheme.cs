using MudBlazor;

namespace BlazorVault.Components.Layout;

/// <summary>
/// The one palette of the app, light and dark, chosen for WCAG 2.1 AA: every colour used as text, as a filled background
/// under its contrast text, or on its own 8% tint (chips, alerts, hovers) reaches 4.5:1 on the page and on surfaces.
/// <c>AccessibilityTests</c> checks every screen in both modes with axe-core.
/// </summary>
internal static class BlazorVaultTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00695c",
            Info = "#1565c0",
            Success = "#1e6b24",
            Warning = "#8c5000",
            Error = "#b71c1c",
            AppbarBackground = "#283593",
            Background = "#f5f6fa",
            DrawerBackground = "#ffffff",
            TextSecondary = "rgba(0,0,0,0.64)",
            ActionDefault = "rgba(0,0,0,0.64)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#9fa8da",
            PrimaryContrastText = "#12141c",
            Secondary = "#80cbc4",
            SecondaryContrastText = "#12141c",
            Info = "#64b5f6",
            InfoContrastText = "#12141c",
            Success = "#81c784",
            SuccessContrastText = "#12141c",
            Warning = "#ffb74d",
            WarningContrastText = "#12141c",
            Error = "#ff8a80",
            ErrorContrastText = "#12141c",
            AppbarBackground = "#1a1f36",
            Background = "#12141c",
            Surface = "#1c1f2b",
            DrawerBackground = "#171a24",
            TextSecondary = "rgba(255,255,255,0.72)",
            ActionDefault = "rgba(255,255,255,0.72)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
