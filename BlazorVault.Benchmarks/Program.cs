using BenchmarkDotNet.Running;
using BlazorVault.Benchmarks.Load;

// Hot paths of BlazorVault, measured with BenchmarkDotNet. Not part of ./test.sh:
//   dotnet run -c Release --project BlazorVault.Benchmarks -- --filter '*'
// and the redemption load test against a running app (scripts/measure-redeem.sh):
//   dotnet BlazorVault.Benchmarks.dll redeem-load <data folder> <base url> <messages> <clients>
if (args is ["redeem-load", var directory, var url, var count, var clients])
{
    return await RedeemLoad.RunAsync(directory, url, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), int.Parse(clients, System.Globalization.CultureInfo.InvariantCulture));
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
