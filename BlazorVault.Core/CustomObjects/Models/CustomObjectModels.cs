using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.CustomObjects.Entities;

namespace BlazorVault.Core.CustomObjects.Models;

public sealed record CustomFieldView(
    int Id,
    int Order,
    string Label,
    CustomFieldType Type,
    bool Required,
    IReadOnlyList<string> Options,
    IReadOnlyList<int> VisibleToCustomerIds
);

/// <param name="RowCount">Rows across all customers.</param>
/// <param name="TabLabels">Labels of the Customer fields (type Table) that show this table as a tab.</param>
public sealed record CustomTableView(
    int Id,
    string Name,
    CustomEntity LinkedEntity,
    IReadOnlyList<CustomFieldView> Fields,
    IReadOnlyList<int> VisibleToCustomerIds,
    int RowCount = 0,
    IReadOnlyList<string>? TabLabels = null
);

/// <summary>A custom field on the Customer entity; of type Table it shows <see cref="LinkedTableName"/> as a tab.</summary>
public sealed record CustomerFieldView(
    int Id,
    string Label,
    CustomFieldType Type,
    int? LinkedTableId,
    string? LinkedTableName,
    int Order,
    bool Required = false,
    IReadOnlyList<string>? Options = null
);

/// <summary>
/// A Customer field: Table ("Link to Table") or a value per customer (Text, Multiline, URL, Date, Checkbox,
/// Single-select). Passwords belong in a custom table, where each reveal names its row.
/// </summary>
public sealed class CustomerFieldInput
{
    public string Label { get; set; } = "";

    public CustomFieldType Type { get; set; } = CustomFieldType.Table;

    public int? LinkedTableId { get; set; }

    public bool Required { get; set; }

    /// <summary>Single-select options, one per line.</summary>
    public string? Options { get; set; }
}

/// <summary>A customer's custom field values (by Customer field id), with the fields they belong to.</summary>
public sealed record CustomerFieldValues(IReadOnlyList<CustomFieldView> Fields, IReadOnlyDictionary<int, string?> Values);

/// <summary>A custom table shown as a tab on a customer: the fields this customer may see.</summary>
/// <param name="Level">The agent's level on the table at this customer (Manage for administrators).</param>
public sealed record VaultTab(int TableId, string Label, IReadOnlyList<CustomFieldView> Fields, AccessLevel Level)
{
    public bool CanReveal => Level >= AccessLevel.Reveal;

    public bool CanEdit => Level >= AccessLevel.Edit;
}

/// <summary>
/// Who can reveal a row's passwords: the agent groups that give Reveal or more on its table at its customer, their enabled
/// members, the enabled administrators (never limited by groups), and the row's last reveal.
/// </summary>
public sealed record RowAccessView(
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Agents,
    IReadOnlyList<string> Administrators,
    DateTime? LastRevealedAt,
    string? LastRevealedBy
);

/// <summary>
/// A password cell: never its value or length; who changed it, who last revealed it, and whether it needs rotation (since
/// when, and why) until a new value is saved.
/// </summary>
/// <param name="Access">For an agent without Reveal on the table: their access request for this password, if any.</param>
public sealed record SecretCellView(
    bool HasValue,
    DateTime? ChangedAt,
    string? ChangedBy,
    DateTime? LastRevealedAt,
    string? LastRevealedBy,
    CellAccess? Access = null,
    DateTime? RotationRequestedAt = null,
    string? RotationReason = null
)
{
    public bool NeedsRotation => RotationRequestedAt is not null;
}

/// <summary>An agent's own access request for one password: waiting, or approved until <paramref name="GrantedUntil"/>.</summary>
public sealed record CellAccess(bool Pending, DateTime? GrantedUntil);

/// <summary>
/// One row of a password tab. Two views of the same row are equal, whatever their values: a table that reloads its rows
/// (a live change) keeps each row's components, so a password on screen stays until it hides by itself or access goes.
/// </summary>
public sealed record VaultRowView(
    int Id,
    IReadOnlyDictionary<int, string?> Values,
    IReadOnlyDictionary<int, SecretCellView> Secrets,
    DateTime UpdatedAt,
    string UpdatedBy
)
{
    public bool Equals(VaultRowView? other) => other is not null && other.Id == Id;

    public override int GetHashCode() => Id;
}

/// <param name="SortFieldId">A non-password field to sort by; null sorts by last change, newest first.</param>
/// <param name="NeedsRotation">Only rows with a password marked Needs rotation.</param>
public sealed record VaultRowQuery(
    string? Search = null,
    int? SortFieldId = null,
    bool Descending = false,
    int Page = 0,
    int PageSize = 25,
    bool NeedsRotation = false
);

/// <summary>
/// Values by field id. For a Password field, null or absent keeps the stored secret, an empty string removes it
/// and any other text replaces it with a new ciphertext under a fresh data key.
/// </summary>
public sealed record VaultRowInput(IReadOnlyDictionary<int, string?> Values);

/// <summary>A revealed password and the "last revealed" facts the reveal just recorded.</summary>
public sealed record RevealedSecret(string Value, DateTime RevealedAt, string RevealedBy)
{
    /// <summary>Never the value: records print themselves in logs and debuggers.</summary>
    public override string ToString() => $"RevealedSecret {{ RevealedAt = {RevealedAt:O}, RevealedBy = {RevealedBy} }}";
}

public enum RevealKind
{
    Revealed,
    Copied,
}

public sealed class CustomTableInput
{
    public string Name { get; set; } = "";

    public CustomEntity LinkedEntity { get; set; } = CustomEntity.Customer;

    /// <summary>Empty: every customer.</summary>
    public List<int> VisibleToCustomerIds { get; set; } = [];
}

public sealed class CustomFieldInput
{
    public string Label { get; set; } = "";

    public CustomFieldType Type { get; set; } = CustomFieldType.Text;

    public bool Required { get; set; }

    /// <summary>Single-select options, one per line.</summary>
    public string? Options { get; set; }

    /// <summary>Empty: every customer.</summary>
    public List<int> VisibleToCustomerIds { get; set; } = [];
}
