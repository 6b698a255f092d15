using BlazorVault.Core.Cluster;
using Microsoft.Extensions.Configuration;

namespace BlazorVault.Tests.Cluster.Core;

public sealed class ThisNodeTests
{
    [Fact]
    public void Unconfigured_AndListening_IsTheMachineAndThePort()
    {
        var node = new ThisNode(new ClusterOptions());

        node.ListenOn(() => ["http://127.0.0.1:41234"]);

        Assert.Equal($"{Environment.MachineName}:41234", node.Name);
    }

    [Theory]
    [InlineData("http://+:8080", 8080)]
    [InlineData("https://*:8443", 8443)]
    [InlineData("http://[::]:5000", 5000)]
    [InlineData("http://localhost", 80)]
    public void AWildcardOrImpliedPort_IsStillThePort(string address, int port)
    {
        var node = new ThisNode(new ClusterOptions());

        node.ListenOn(() => [address]);

        Assert.Equal($"{Environment.MachineName}:{port}", node.Name);
    }

    [Fact]
    public void BeforeTheServerHasItsPort_IsTheMachine_AndThePortOnceItHasOne()
    {
        var addresses = new List<string> { "http://127.0.0.1:0" };
        var node = new ThisNode(new ClusterOptions());
        node.ListenOn(() => addresses);
        Assert.Equal(Environment.MachineName, node.Name);

        addresses[0] = "http://127.0.0.1:41234";

        Assert.Equal($"{Environment.MachineName}:41234", node.Name);
    }

    [Fact]
    public void ACommandLineVerb_WhichNeverListens_IsTheMachine()
    {
        Assert.Equal(Environment.MachineName, new ThisNode(new ClusterOptions()).Name);
    }

    [Fact]
    public void Configured_IsTheConfiguredName_WhereverItListens()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cluster:NodeName"] = " web-1 " })
            .Build();
        var node = new ThisNode(ClusterOptions.FromConfiguration(configuration));

        node.ListenOn(() => ["http://127.0.0.1:41234"]);

        Assert.Equal("web-1", node.Name);
    }

    [Fact]
    public void AConfiguredNameLongerThanTheColumns_StopsTheStart()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cluster:NodeName"] = new string('n', 129) })
            .Build();

        Assert.Throws<InvalidOperationException>(() => ClusterOptions.FromConfiguration(configuration));
    }
}
