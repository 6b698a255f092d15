namespace BlazorVault.Core.Settings.Sections;

[SettingsSection("vault", "Vault", "How stored customer passwords are revealed.")]
public sealed class VaultSettings : SettingsSection
{
    [Setting(
        "Seconds until a revealed value hides again",
        "After this, a password revealed with the eye icon is masked again, and a copied one is cleared from the clipboard "
            + "if it is still there; default 30."
    )]
    public int RevealSeconds { get; set; } = 30;

    [Setting(
        "Require a reason before reveal",
        "Agents give a reason or ticket number, recorded in the audit log, before a password is shown."
    )]
    public bool RequireRevealReason { get; set; }

    [Setting(
        "Allow break-glass",
        "An agent who may list a password but not reveal it can still reveal it in an emergency, after giving a reason and "
            + "their own password again. It is audited as break-glass, every administrator is notified at once, and the "
            + "password is marked Needs rotation. Off by default."
    )]
    public bool AllowBreakGlass { get; set; }

    public override void Validate(IDictionary<string, string> errors)
    {
        if (RevealSeconds is < 5 or > 600)
        {
            errors[nameof(RevealSeconds)] = "Enter a number of seconds from 5 to 600.";
        }
    }
}
