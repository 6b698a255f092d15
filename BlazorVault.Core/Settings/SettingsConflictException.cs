namespace BlazorVault.Core.Settings;

/// <summary>A save based on a copy of a section that someone else has changed since: nothing was saved.</summary>
public sealed class SettingsConflictException() : Exception("Someone else changed these settings; reload to see their changes");
