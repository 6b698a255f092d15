using BlazorVault.Core.Accounts;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>The embedded block-list: its size, what it refuses (also with digits or symbols added) and what it lets through.</summary>
public sealed class CommonPasswordsTests
{
    private static CommonPasswords List => CommonPasswords.Shared;

    [Fact]
    public void TheEmbeddedList_HoldsAtLeastTenThousandPasswords_AndNamesItsSource()
    {
        Assert.True(List.Count >= 10_000, $"Only {List.Count} common passwords were loaded.");
        Assert.Contains("@zxcvbn-ts/language-common", List.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("123456789")]
    [InlineData("letmein")]
    [InlineData("trustno1")]
    [InlineData("iloveyou")]
    public void ListedPasswords_AreRefused(string password) => Assert.True(List.Contains(password));

    [Theory]
    [InlineData("PASSWORD")]
    [InlineData("Password")]
    [InlineData("DrAgOn")]
    [InlineData("LetMeIn")]
    public void Matching_IgnoresCase(string password) => Assert.True(List.Contains(password));

    [Theory]
    [InlineData("Password123")]
    [InlineData("qwerty!")]
    [InlineData("Dragon!")]
    [InlineData("monkey2024!?")]
    [InlineData("love1987")]
    [InlineData("abc123!!")]
    [InlineData("12345678!")]
    [InlineData("password ")]
    public void ListedPasswords_WithDigitsOrSymbolsAdded_AreRefused(string password) => Assert.True(List.Contains(password));

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("Correct Horse Battery Staple!")]
    [InlineData("correct-horse-battery-staple-42")]
    [InlineData("correcthorsebatterystaple")]
    [InlineData("Tr0ub4dor&3")]
    public void PasswordsNotOnTheList_AreAccepted(string password) => Assert.False(List.Contains(password));

    [Fact]
    public void RandomSixteenCharacterPasswords_AreAccepted()
    {
        var generated = Enumerable.Range(0, 100).Select(_ => PasswordGenerator.Generate()).ToList();

        Assert.All(generated, password => Assert.False(List.Contains(password), password));
    }
}
