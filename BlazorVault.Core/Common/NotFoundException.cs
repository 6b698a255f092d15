namespace BlazorVault.Core.Common;

/// <summary>The item does not exist, or the caller may not know that it exists.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");
