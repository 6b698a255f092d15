namespace BlazorVault.Core.Settings.Entities;

/// <summary>
/// One settings section as JSON; a missing row means the section's defaults. <see cref="Version"/> counts the section's
/// changes (values and secrets), so a save based on an older copy can be refused.
/// </summary>
public sealed class SettingsEntry
{
    public string Section { get; init; } = "";

    public string Json { get; set; } = "{}";

    public long Version { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";
}
