namespace BlazorVault.Core.CustomObjects.Entities;

/// <summary>
/// First run: the "Passwords" table with the fields the Halo guide recommends, and the Customer field of type Table
/// that makes it a tab on every customer. Anonymous objects, because the entities' setters are private.
/// </summary>
internal static class CustomObjectsSeed
{
    public const int PasswordsTableId = 1;
    public static readonly DateTime SeededAt = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly object PasswordsTable = new
    {
        Id = PasswordsTableId,
        Name = "Passwords",
        LinkedEntity = CustomEntity.Customer,
        CreatedAt = SeededAt,
    };

    public static readonly object[] PasswordsFields =
    [
        Field(
            1,
            "Type of password",
            CustomFieldType.SingleSelect,
            options: "Email\nDomain / Active Directory\nMicrosoft 365\nWi-Fi\nRouter / firewall\nServer / local admin\n"
                + "Application\nWebsite\nOther"
        ),
        Field(2, "User", CustomFieldType.User),
        Field(3, "Username", CustomFieldType.Text),
        Field(4, "Password", CustomFieldType.Password, required: true),
        Field(5, "URL", CustomFieldType.Url),
        Field(6, "Notes", CustomFieldType.Multiline),
    ];

    public static readonly object PasswordsTab = new
    {
        Id = 1,
        Label = "Passwords",
        Type = CustomFieldType.Table,
        LinkedTableId = PasswordsTableId,
        Order = 1,
        Required = false,
    };

    /// <summary>A field of the Passwords table, in the order of its id.</summary>
    private static object Field(int id, string label, CustomFieldType type, bool required = false, string? options = null) =>
        new
        {
            Id = id,
            TableId = PasswordsTableId,
            Order = id,
            Label = label,
            Type = type,
            Required = required,
            Options = options,
        };
}
