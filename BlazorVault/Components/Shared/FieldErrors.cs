using BlazorVault.Core.Common;

namespace BlazorVault.Components.Shared;

/// <summary>Core validation errors for an interactive MudBlazor form: <c>Error</c>/<c>ErrorText</c> per field.</summary>
public sealed class FieldErrors
{
    private Dictionary<string, string[]> _errors = [];

    /// <summary>Errors that belong to no single field.</summary>
    public string? General { get; private set; }

    public bool Has(string field) => _errors.ContainsKey(field);

    public string? For(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public void Set(ValidationFailedException exception)
    {
        _errors = exception.Errors.Where(e => e.Key.Length > 0).ToDictionary(e => e.Key, e => e.Value);
        General = exception.Errors.TryGetValue("", out var general) ? string.Join(" ", general) : null;
    }

    public void SetGeneral(string message)
    {
        _errors = new Dictionary<string, string[]>();
        General = message;
    }

    public void Clear()
    {
        _errors = new Dictionary<string, string[]>();
        General = null;
    }
}
