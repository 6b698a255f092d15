using System.Globalization;
using BlazorVault.Core.Crypto;

namespace BlazorVault.Core.CustomObjects.Entities;

/// <summary>
/// One cell. Non-secret values are in <see cref="Text"/>; for a Password field, <see cref="Text"/> stays null and
/// the value is a secret in the slot (<see cref="SecretPurpose"/>, row id, field id).
/// </summary>
public sealed class CustomValue(int rowId, int fieldId)
{
    public const int TextMaxLength = 4000;
    public const string SecretPurpose = "custom-field";
    public const int RotationReasonMaxLength = 200;

    public int RowId { get; private set; } = rowId;

    public int FieldId { get; private set; } = fieldId;

    public string? Text { get; private set; }

    /// <summary>Lower-case copy of searchable text (never for passwords).</summary>
    public string? SearchText { get; private set; }

    public DateTime? SecretChangedAt { get; private set; }

    public string? SecretChangedBy { get; private set; }

    /// <summary>Set by the reveal's set-based update, never through this object.</summary>
    public DateTime? LastRevealedAt { get; private set; }

    /// <inheritdoc cref="LastRevealedAt"/>
    public string? LastRevealedBy { get; private set; }

    /// <summary>
    /// Needs rotation: someone who should no longer know it may (break-glass, an agent who left). A new value clears it. Set
    /// by set-based updates.
    /// </summary>
    public DateTime? RotationRequestedAt { get; private set; }

    /// <inheritdoc cref="RotationRequestedAt"/>
    public string? RotationRequestedBy { get; private set; }

    /// <inheritdoc cref="RotationRequestedAt"/>
    public string? RotationReason { get; private set; }

    internal static SecretSlot SecretSlotOf(int rowId, int fieldId) =>
        new(SecretPurpose, rowId.ToString(CultureInfo.InvariantCulture), fieldId.ToString(CultureInfo.InvariantCulture));

    public void ChangeText(string? text)
    {
        Text = text;
        SearchText = text?.ToLowerInvariant();
    }

    /// <summary>The secret in this cell's slot was just written with a new ciphertext.</summary>
    public void ReplaceSecret(DateTime now, string by)
    {
        SecretChangedAt = now;
        SecretChangedBy = by;
        RotationRequestedAt = null;
        RotationRequestedBy = null;
        RotationReason = null;
    }

    /// <summary>The secret in this cell's slot was just deleted: nothing is left to rotate.</summary>
    public void RemoveSecret()
    {
        SecretChangedAt = null;
        SecretChangedBy = null;
        RotationRequestedAt = null;
        RotationRequestedBy = null;
        RotationReason = null;
    }
}
