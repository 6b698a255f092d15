namespace BlazorVault.Core.CustomObjects.Entities;

/// <summary>What a custom table's rows belong to (the guides' "Linked Entity"; Customer is Halo's "Area").</summary>
public enum CustomEntity
{
    Customer,
}

/// <summary>The input type of a custom field. Password values are encrypted secrets; Table links a customer field to a table.</summary>
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

/// <summary>Configuration &gt; Custom Objects &gt; Custom Tables: a table whose rows hang off a customer.</summary>
public sealed class CustomTable
{
    public const int NameMaxLength = 100;

    public int Id { get; set; }

    public string Name { get; set; } = "";

    public CustomEntity LinkedEntity { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<CustomTableField> Fields { get; set; } = [];

    /// <summary>Empty: every customer sees the table; otherwise only these customers.</summary>
    public List<CustomVisibility> Visibility { get; set; } = [];
}

/// <summary>A column of a custom table.</summary>
public sealed class CustomTableField
{
    public const int LabelMaxLength = 100;
    public const int OptionMaxLength = 100;

    public int Id { get; set; }

    public int TableId { get; set; }

    public int Order { get; set; }

    public string Label { get; set; } = "";

    public CustomFieldType Type { get; set; }

    public bool Required { get; set; }

    /// <summary>Single-select options, one per line.</summary>
    public string? Options { get; set; }

    /// <summary>Empty: shown for every customer; otherwise only for these customers.</summary>
    public List<CustomVisibility> Visibility { get; set; } = [];
}

/// <summary>One customer a restricted table or field is shown for.</summary>
public sealed class CustomVisibility
{
    public int Id { get; set; }

    public int? TableId { get; set; }

    public int? FieldId { get; set; }

    public int CustomerId { get; set; }
}

/// <summary>
/// A custom field on the Customer entity: type Table ("Link to Table") makes the linked table a tab; the other types
/// hold one value per customer, shown on the customer's Details.
/// </summary>
public sealed class CustomerField
{
    public int Id { get; set; }

    public string Label { get; set; } = "";

    public CustomFieldType Type { get; set; }

    public int? LinkedTableId { get; set; }

    public int Order { get; set; }

    public bool Required { get; set; }

    /// <summary>Single-select options, one per line.</summary>
    public string? Options { get; set; }
}

/// <summary>A customer's value of a (non-Table) Customer field.</summary>
public sealed class CustomerFieldValue
{
    public int CustomerFieldId { get; set; }

    public int CustomerId { get; set; }

    public string? Text { get; set; }
}

/// <summary>A row of a custom table for one customer. Password cells live in the secrets table, never here.</summary>
public sealed class CustomRow
{
    public int Id { get; set; }

    public int TableId { get; set; }

    public int CustomerId { get; set; }

    public DateTime CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTime UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    public List<CustomValue> Values { get; set; } = [];
}

/// <summary>
/// One cell. Non-secret values are in <see cref="Text"/>; for a Password field, <see cref="Text"/> stays null and
/// the value is a secret in the slot ("custom-field", row id, field id).
/// </summary>
public sealed class CustomValue
{
    public const int TextMaxLength = 4000;

    public int RowId { get; set; }

    public int FieldId { get; set; }

    public string? Text { get; set; }

    /// <summary>Lower-case copy of searchable text (never for passwords).</summary>
    public string? SearchText { get; set; }

    public DateTime? SecretChangedAt { get; set; }

    public string? SecretChangedBy { get; set; }

    public DateTime? LastRevealedAt { get; set; }

    public string? LastRevealedBy { get; set; }
}
