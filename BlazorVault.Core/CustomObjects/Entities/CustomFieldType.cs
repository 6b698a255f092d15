namespace BlazorVault.Core.CustomObjects.Entities;

/// <summary>
/// The input type of a custom field. Password values are encrypted secrets; Table links a customer field to a table.
/// </summary>
public enum CustomFieldType
{
    Text,
    Multiline,
    Password,
    Url,
    Date,
    Checkbox,
    SingleSelect,

    /// <summary>A portal user of the row's customer.</summary>
    User,

    /// <summary>Only on the Customer entity: shows a custom table as a tab on the customer page.</summary>
    Table,
}
