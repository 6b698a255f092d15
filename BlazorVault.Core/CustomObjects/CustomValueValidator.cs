using System.Globalization;
using BlazorVault.Core.Common;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.CustomObjects;

/// <summary>Checks values against their fields' types, the same way for table rows and for Customer fields.</summary>
internal static class CustomValueValidator
{
    private const int PasswordMaxLength = SettingsService.SecretMaxLength * 8;

    /// <param name="isNew">
    /// A new row needs every required field; an edit only those it sends, and a Password left out (null) keeps its secret.
    /// </param>
    public static async Task ValidateAsync(
        BlazorVaultDbContext db,
        int customerId,
        IReadOnlyList<CustomFieldView> fields,
        VaultRowInput input,
        bool isNew,
        CancellationToken cancellationToken
    )
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var key in input.Values.Keys.Where(k => fields.All(f => f.Id != k)))
        {
            errors[key.ToString(CultureInfo.InvariantCulture)] = ["This field is not on the table for this customer."];
        }

        foreach (var field in fields)
        {
            var given = input.Values.TryGetValue(field.Id, out var raw);
            var text = field.Type == CustomFieldType.Password ? raw : raw?.Trim();
            var keepsSecret = field.Type == CustomFieldType.Password && !isNew && raw is null;
            var message = field.Type switch
            {
                _ when field.Required && (isNew || given) && string.IsNullOrEmpty(text) && !keepsSecret => $"{field.Label} is required.",
                _ when string.IsNullOrEmpty(text) => null,
                CustomFieldType.Password when text.Length > PasswordMaxLength => $"At most {PasswordMaxLength} characters.",
                CustomFieldType.Text when text.Length > 500 || text.Contains('\n', StringComparison.Ordinal) =>
                    "One line of at most 500 characters.",
                CustomFieldType.Multiline when text.Length > CustomValue.TextMaxLength =>
                    $"At most {CustomValue.TextMaxLength} characters.",
                CustomFieldType.Url when !IsWebAddress(text) => "Enter a web address starting with http:// or https://.",
                CustomFieldType.Date when !IsDate(text) => "Enter a date as YYYY-MM-DD.",
                CustomFieldType.Checkbox when text is not ("true" or "false") => "Choose yes or no.",
                CustomFieldType.SingleSelect when !field.Options.Contains(text) => "Choose one of the options.",
                CustomFieldType.User when !await db.Users.AnyAsync(u => u.Id == text && u.CustomerId == customerId, cancellationToken) =>
                    "Choose a portal user of this customer.",
                _ => null,
            };
            if (message is not null)
            {
                errors[field.Id.ToString(CultureInfo.InvariantCulture)] = [message];
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }

    private static bool IsDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsWebAddress(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && text.Length <= 2000;
}
