using System.Net.Mail;

namespace BlazorVault.Core.Common;

/// <summary>Collects field errors for one input and throws them together.</summary>
internal sealed class InputValidator
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public string Required(string field, string label, string? value, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            Add(field, $"{label} is required.");
        }
        else if (trimmed.Length > maxLength)
        {
            Add(field, $"{label} must be at most {maxLength} characters.");
        }

        return trimmed;
    }

    public string? Optional(string field, string label, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            Add(field, $"{label} must be at most {maxLength} characters.");
        }

        return trimmed;
    }

    public string Email(string field, string? value)
    {
        var email = Required(field, "Email", value, 256);
        if (email.Length > 0 && !IsEmail(email))
        {
            Add(field, "Enter a valid email address.");
        }

        return email;
    }

    public string? OptionalEmail(string field, string? value)
    {
        var email = Optional(field, "Email", value, 256);
        if (email is not null && !IsEmail(email))
        {
            Add(field, "Enter a valid email address.");
        }

        return email;
    }

    public string? OptionalUrl(string field, string label, string? value)
    {
        var url = Optional(field, label, value, 500);
        if (
            url is not null
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        )
        {
            Add(field, $"{label} must be an http or https address.");
        }

        return url;
    }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public bool HasErrors => _errors.Count > 0;

    public void ThrowIfInvalid()
    {
        if (HasErrors)
        {
            throw new ValidationFailedException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }

    private static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal);
}
