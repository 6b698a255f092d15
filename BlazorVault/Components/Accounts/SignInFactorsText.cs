using BlazorVault.Core.Accounts.Models;

namespace BlazorVault.Components.Accounts;

/// <summary>How the pages name an account's ways of signing in besides its password.</summary>
internal static class SignInFactorsText
{
    public static IEnumerable<string> Lines(SignInFactors factors)
    {
        if (factors.Authenticator)
        {
            yield return factors.TwoFactorEnabled ? "An authenticator app (two-factor sign-in is on)" : "An authenticator app key";
        }
        else if (factors.TwoFactorEnabled)
        {
            yield return "Two-factor sign-in";
        }

        if (factors.RecoveryCodes > 0)
        {
            yield return factors.RecoveryCodes == 1 ? "1 unused recovery code" : $"{factors.RecoveryCodes} unused recovery codes";
        }

        foreach (var passkey in factors.Passkeys)
        {
            yield return $"The passkey \u201c{passkey}\u201d";
        }

        foreach (var provider in factors.ExternalLogins)
        {
            yield return $"Sign-in with {provider}";
        }
    }

    /// <summary>The confirmation an agent or admin reads before "Reset sign-in".</summary>
    public static string ResetWarning(string name) =>
        $"This removes {name}'s authenticator app, recovery codes, passkeys and external sign-ins, and signs them out everywhere. "
        + "Their password stays; they can set up two-factor sign-in and passkeys again after signing in.";

    /// <summary>What a reset removed, for a snackbar.</summary>
    public static string Removed(string name, SignInFactors removed) =>
        removed.IsEmpty
            ? $"{name} had no two-factor sign-in, passkey or external sign-in; their sessions end within a minute."
            : $"Removed from {name}: {string.Join(", ", Lines(removed).Select(LowerFirst))}. Their sessions end within a minute.";

    private static string LowerFirst(string line) => char.ToLowerInvariant(line[0]) + line[1..];
}
