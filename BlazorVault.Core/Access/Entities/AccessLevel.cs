namespace BlazorVault.Core.Access.Entities;

/// <summary>What an agent group may do with one custom table's rows; each level includes the ones below it.</summary>
public enum AccessLevel
{
    /// <summary>The table's tab is not there.</summary>
    None = 0,

    /// <summary>Rows and their non-secret fields; passwords masked, with no eye and no copy.</summary>
    List = 1,

    /// <summary>List, and reveal or copy passwords (each audited).</summary>
    Reveal = 2,

    /// <summary>Reveal, and add, edit and delete rows.</summary>
    Edit = 3,

    /// <summary>Edit, and the customer's Access log tab.</summary>
    Manage = 4,
}
