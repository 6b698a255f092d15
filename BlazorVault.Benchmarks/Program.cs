using BenchmarkDotNet.Running;

// Hot paths of BlazorVault, measured with BenchmarkDotNet. Not part of ./test.sh:
//   dotnet run -c Release --project BlazorVault.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
