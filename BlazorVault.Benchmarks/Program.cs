using BenchmarkDotNet.Running;
using BlazorVault.Benchmarks.Load;

// Hot paths of BlazorVault, measured with BenchmarkDotNet. Not part of ./test.sh:
//   dotnet run -c Release --project BlazorVault.Benchmarks -- --filter '*'
// and the redemption load test against a running app (scripts/measure-redeem.sh):
//   dotnet BlazorVault.Benchmarks.dll redeem-load <data folder> <base url> <messages> <clients>
// and the password sign-in load test (scripts/measure-signin.sh), once per client count in the list:
//   dotnet BlazorVault.Benchmarks.dll signin-load <data folder> <base url> <accounts> <sign-ins per client> <clients,clients,...>
if (args is ["redeem-load", var directory, var url, var count, var clients])
{
    return await RedeemLoad.RunAsync(
        directory,
        url,
        int.Parse(count, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(clients, System.Globalization.CultureInfo.InvariantCulture)
    );
}

if (args is ["signin-load", var signInDirectory, var signInUrl, var accounts, var signIns, var clientCounts])
{
    return await SignInLoad.RunAsync(
        signInDirectory,
        signInUrl,
        int.Parse(accounts, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(signIns, System.Globalization.CultureInfo.InvariantCulture),
        SignInLoad.ParseCounts(clientCounts)
    );
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
