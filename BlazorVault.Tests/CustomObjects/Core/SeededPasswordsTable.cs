namespace BlazorVault.Tests.CustomObjects.Core;

/// <summary>The ids of the Passwords table every new installation is seeded with, and of its fields.</summary>
internal static class SeededPasswordsTable
{
    public const int PasswordsTable = 1;
    public const int TypeField = 1;
    public const int UserField = 2;
    public const int UsernameField = 3;
    public const int PasswordField = 4;
    public const int UrlField = 5;
    public const int NotesField = 6;
}
