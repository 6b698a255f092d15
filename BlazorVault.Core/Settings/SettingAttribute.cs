using System.Text.Json.Serialization;

namespace BlazorVault.Core.Settings;

/// <summary>How a setting appears on its admin page: a label and one line of help.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAttribute(string label, string help) : Attribute
{
    public string Label { get; } = label;

    public string Help { get; } = help;

    /// <summary>Shown only while this boolean setting of the same section is on.</summary>
    public string? ShownWhen { get; init; }

    /// <summary>Multi-line text input.</summary>
    public bool Multiline { get; init; }

    /// <summary>Saved exactly as typed (character sets, where a space is a character), not trimmed.</summary>
    public bool KeepWhitespace { get; init; }
}

/// <summary>Where a section's page sits and what it is called.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SettingsSectionAttribute(string key, string title, string description) : Attribute
{
    public string Key { get; } = key;

    public string Title { get; } = title;

    public string Description { get; } = description;
}

/// <summary>
/// A group of settings stored and changed together. A copy remembers the version of the section it was read at, so that a
/// save based on a copy someone else has changed since is refused rather than undoing their change.
/// </summary>
public abstract class SettingsSection
{
    /// <summary>The section's version this copy was read at (0: never saved); not one of the values.</summary>
    [JsonIgnore]
    public long Version { get; internal set; }

    /// <summary>Adds a message per invalid field; nothing is saved while any exists.</summary>
    public abstract void Validate(IDictionary<string, string> errors);
}

/// <summary>
/// A secret setting of the section (e.g. the SMTP password): stored encrypted, outside the section's values, and
/// never shown again; its page offers "set / change" and "remove".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class SecretSettingAttribute(string name, string label, string help) : Attribute
{
    public string Name { get; } = name;

    public string Label { get; } = label;

    public string Help { get; } = help;

    /// <summary>
    /// Settings of the section the secret is only good for (the SMTP password belongs to one server): a save that changes any
    /// of them removes the stored value, unless a new one is given in the same save.
    /// </summary>
    public string[] BoundTo { get; init; } = [];
}
