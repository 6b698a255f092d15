using Bunit;
using MudBlazor.Services;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>A bUnit context with MudBlazor's services and loose JS interop, as MudBlazor's own tests set up.</summary>
public abstract class MudBunitContext : BunitContext
{
    protected MudBunitContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }
}
