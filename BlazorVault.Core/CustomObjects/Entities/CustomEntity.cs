namespace BlazorVault.Core.CustomObjects.Entities;

/// <summary>What a custom table's rows belong to (the guides' "Linked Entity"; Customer is Halo's "Area").</summary>
public enum CustomEntity
{
    Customer,
}
