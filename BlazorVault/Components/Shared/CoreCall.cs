using BlazorVault.Core.Audit;
using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using MudBlazor;

namespace BlazorVault.Components.Shared;

/// <summary>
/// Calls Core from a component and shows the failures Core reports to users: bad input, a missing record, a denial,
/// an audit log that cannot record, an unusable key ring or secret, a save based on settings someone else changed. Their
/// messages are written for users; any other exception is a bug and is left to the circuit.
/// </summary>
internal static class CoreCall
{
    /// <summary>
    /// Shows <paramref name="success"/> (if any) or the failure in a snackbar. With <paramref name="fields"/>, validation
    /// failures show beside the fields instead. Returns whether the call succeeded.
    /// </summary>
    public static async Task<bool> RunAsync(ISnackbar snackbar, Func<Task> action, string? success = null, FieldErrors? fields = null)
    {
        var succeeded = await TryAsync(
            action,
            ex =>
            {
                if (fields is not null && ex is ValidationFailedException validation)
                {
                    fields.Set(validation);
                }
                else
                {
                    snackbar.Add(ex.Message, Severity.Error);
                }
            }
        );
        if (succeeded && success is not null)
        {
            snackbar.Add(success, Severity.Success);
        }

        return succeeded;
    }

    /// <summary>The call's result, or null once the failure is in a snackbar.</summary>
    public static async Task<T?> RunAsync<T>(ISnackbar snackbar, Func<Task<T>> action)
        where T : class
    {
        T? result = null;
        await TryAsync(async () => result = await action(), ex => snackbar.Add(ex.Message, Severity.Error));
        return result;
    }

    /// <summary>
    /// For a form that shows its own errors (a dialog): validation failures beside the fields, any other failure in
    /// <see cref="FieldErrors.General"/>. Returns whether the call succeeded.
    /// </summary>
    public static Task<bool> RunAsync(FieldErrors fields, Func<Task> action) =>
        TryAsync(
            action,
            ex =>
            {
                if (ex is ValidationFailedException validation)
                {
                    fields.Set(validation);
                }
                else
                {
                    fields.SetGeneral(ex.Message);
                }
            }
        );

    private static async Task<bool> TryAsync(Func<Task> action, Action<Exception> show)
    {
        try
        {
            await action();
            return true;
        }
        catch (Exception ex)
            when (ex
                    is ValidationFailedException
                        or NotFoundException
                        or AccessDeniedException
                        or AuditUnavailableException
                        or KeyRingException
                        or SecretUnreadableException
                        or SettingsConflictException
            )
        {
            show(ex);
            return false;
        }
    }
}
