namespace BlazorVault.Core.Security;

public sealed class AccessDeniedException(string message) : Exception(message);
