using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Rendering;

namespace BlazorVault.Components.Shared;

/// <summary>
/// A password input for statically rendered forms that never writes its value into the HTML, so a re-rendered
/// form (after a validation error) does not echo the password back to the browser.
/// </summary>
public sealed class InputSecret : InputText
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "input");
        builder.AddMultipleAttributes(1, AdditionalAttributes);
        builder.AddAttribute(2, "type", "password");
        if (!string.IsNullOrEmpty(NameAttributeValue))
        {
            builder.AddAttribute(3, "name", NameAttributeValue);
        }

        if (!string.IsNullOrEmpty(CssClass))
        {
            builder.AddAttribute(4, "class", CssClass);
        }

        builder.AddAttribute(5, "value", "");
        builder.AddAttribute(
            6,
            "onchange",
            EventCallback.Factory.CreateBinder<string?>(this, value => CurrentValueAsString = value, CurrentValueAsString)
        );
        builder.SetUpdatesAttributeName("value");
        builder.CloseElement();
    }
}
