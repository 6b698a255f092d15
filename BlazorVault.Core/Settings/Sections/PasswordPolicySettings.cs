namespace BlazorVault.Core.Settings.Sections;

/// <remarks>Defaults follow NIST SP 800-63B: length over composition, a block-list, no forced character classes.</remarks>
[SettingsSection("password-policy", "Password policy", "Rules for the passwords of agents and portal users, and the password generator.")]
public sealed class PasswordPolicySettings : SettingsSection
{
    public const string PointsharpAlphabet = "234567892345678923456789abcdefghijkmnopqrstuvwxyz";

    [Setting("Minimum length", "NIST SP 800-63B: at least 8, and 15 for single-factor sign-in; 12 is the default here.")]
    public int MinLength { get; set; } = 12;

    [Setting("Maximum length", "Allow long passphrases: NIST SP 800-63B asks for at least 64.")]
    public int MaxLength { get; set; } = 128;

    [Setting(
        "Allowed characters",
        "Empty allows every character. NIST SP 800-63B advises against restricting characters or requiring classes.",
        KeepWhitespace = true
    )]
    public string? AllowedAlphabet { get; set; }

    [Setting("Password history", "A new password may not match any of the last N; 0 turns it off.")]
    public int HistoryCount { get; set; } = 3;

    [Setting(
        "Block common passwords",
        "Refuses passwords on a list of commonly used and breached passwords (NIST SP 800-63B recommends it)."
    )]
    public bool BlockCommonPasswords { get; set; } = true;

    [Setting("Block context words", "Refuses passwords containing the user's name, email, customer name or the product name.")]
    public bool BlockContextWords { get; set; } = true;

    [Setting("Generated password length", "Length of passwords from the Generate button.")]
    public int GeneratedLength { get; set; } = 16;

    [Setting(
        "Generator alphabet",
        "Characters the generator draws from; Pointsharp's default leaves out look-alikes and weights the digits.",
        KeepWhitespace = true
    )]
    public string GeneratorAlphabet { get; set; } = PointsharpAlphabet;

    public override void Validate(IDictionary<string, string> errors)
    {
        if (MinLength is < 8 or > 128)
        {
            errors[nameof(MinLength)] = "Enter a length from 8 to 128.";
        }

        if (MaxLength < Math.Max(MinLength, 64) || MaxLength > 1024)
        {
            errors[nameof(MaxLength)] = "Enter a length from 64 (and at least the minimum) to 1024.";
        }

        if (AllowedAlphabet is { Length: > 0 and < 10 })
        {
            errors[nameof(AllowedAlphabet)] = "Allow at least 10 different characters, or leave it empty.";
        }

        if (HistoryCount is < 0 or > 24)
        {
            errors[nameof(HistoryCount)] = "Enter a number from 0 to 24.";
        }

        if (GeneratedLength < MinLength || GeneratedLength > MaxLength)
        {
            errors[nameof(GeneratedLength)] = "Enter a length between the minimum and the maximum.";
        }

        if (GeneratorAlphabet.Distinct().Count() < 10)
        {
            errors[nameof(GeneratorAlphabet)] = "Use at least 10 different characters.";
        }
        else if (AllowedAlphabet is { Length: > 0 } allowed && GeneratorAlphabet.Any(c => !allowed.Contains(c)))
        {
            errors[nameof(GeneratorAlphabet)] = "The generator may only use allowed characters.";
        }
    }
}
