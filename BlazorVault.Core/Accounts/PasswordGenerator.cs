using System.Security.Cryptography;

namespace BlazorVault.Core.Accounts;

/// <summary>Random passwords for new accounts and the "Generate" buttons.</summary>
/// <remarks>
/// The alphabet is Pointsharp's default: it leaves out look-alikes (0, 1, l, o) and repeats the digits so they
/// appear as often as letters. 16 characters from it carry about 78 bits of entropy.
/// </remarks>
public static class PasswordGenerator
{
    public const string DefaultAlphabet = "234567892345678923456789abcdefghijkmnopqrstuvwxyz";
    public const int DefaultLength = 16;

    public static string Generate() => Generate(DefaultAlphabet, DefaultLength);

    public static string Generate(string alphabet, int length) => RandomNumberGenerator.GetString(alphabet, length);
}
