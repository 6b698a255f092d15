using BlazorVault.Core.Common;
using Microsoft.AspNetCore.Components.Forms;

namespace BlazorVault.Components.Shared;

/// <summary>Shows a Core <see cref="ValidationFailedException"/> beside the fields of a static EditForm.</summary>
internal static class ServerValidation
{
    /// <summary>Adds field errors to the form; returns the errors that belong to no field, joined.</summary>
    public static string? Apply(EditContext editContext, ValidationMessageStore store, ValidationFailedException exception)
    {
        store.Clear();
        var general = new List<string>();
        foreach (var (field, messages) in exception.Errors)
        {
            if (string.IsNullOrEmpty(field))
            {
                general.AddRange(messages);
                continue;
            }

            store.Add(editContext.Field(field), messages);
        }

        editContext.NotifyValidationStateChanged();
        return general.Count == 0 ? null : string.Join(" ", general);
    }
}
