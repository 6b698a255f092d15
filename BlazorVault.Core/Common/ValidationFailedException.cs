namespace BlazorVault.Core.Common;

/// <summary>Bad input: the operation changed nothing. <see cref="Errors"/> maps a field name to its messages.</summary>
public sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors) : Exception(BuildMessage(errors))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public ValidationFailedException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] }) { }

    private static string BuildMessage(IReadOnlyDictionary<string, string[]> errors) => string.Join(" ", errors.SelectMany(e => e.Value));
}
