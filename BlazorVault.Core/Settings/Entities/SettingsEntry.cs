namespace BlazorVault.Core.Settings.Entities;

/// <summary>One settings section as JSON; a missing row means the section's defaults.</summary>
public sealed class SettingsEntry
{
    public string Section { get; init; } = "";

    public string Json { get; set; } = "{}";

    public DateTime UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";
}
