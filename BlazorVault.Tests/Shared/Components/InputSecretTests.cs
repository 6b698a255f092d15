using BlazorVault.Components.Shared;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;

namespace BlazorVault.Tests.Shared.Components;

public sealed class InputSecretTests : BunitContext
{
    private sealed class Model
    {
        public string? Password { get; set; }
    }

    [Fact]
    public void RendersAnEmptyPasswordInput_EvenWhenTheModelHoldsAValue()
    {
        var model = new Model { Password = "canary-secret-91f3" };

        var input = Render<InputSecret>(p =>
            p.AddCascadingValue(new EditContext(model)).Add(i => i.Value, model.Password).Add(i => i.ValueExpression, () => model.Password)
        );

        Assert.Equal("password", input.Find("input").GetAttribute("type"));
        Assert.Equal("", input.Find("input").GetAttribute("value"));
        Assert.DoesNotContain("canary-secret-91f3", input.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void TypedValue_ReachesTheModel()
    {
        var model = new Model();
        var input = Render<InputSecret>(p =>
            p.AddCascadingValue(new EditContext(model))
                .Add(i => i.Value, model.Password)
                .Add(i => i.ValueChanged, (string? v) => model.Password = v)
                .Add(i => i.ValueExpression, () => model.Password)
        );

        input.Find("input").Change("typed passphrase value");

        Assert.Equal("typed passphrase value", model.Password);
        Assert.DoesNotContain("typed passphrase value", input.Markup, StringComparison.Ordinal);
    }
}
