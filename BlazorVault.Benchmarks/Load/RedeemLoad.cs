using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Core.Tickets;
using BlazorVault.Core.Tickets.Models;

namespace BlazorVault.Benchmarks.Load;

/// <summary>
/// Redemption throughput against a running app (see scripts/measure-redeem.sh): creates N messages without a
/// passphrase through Core on the app's own data folder, then redeems each once over HTTP (GET the page, POST the
/// form with the antiforgery token and the verifier) with C concurrent clients, and reports requests per second and
/// p50/p99 latency.
/// </summary>
internal static partial class RedeemLoad
{
    public static async Task<int> RunAsync(string directory, string baseUrl, int count, int concurrency)
    {
        var links = await CreateMessagesAsync(directory, count);
        var queue = new System.Collections.Concurrent.ConcurrentQueue<string>(links);
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(
            Enumerable
                .Range(0, concurrency)
                .Select(async _ =>
                {
                    using var client = new HttpClient(
                        new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }
                    )
                    {
                        BaseAddress = new Uri(baseUrl),
                    };
                    while (queue.TryDequeue(out var link))
                    {
                        var (path, verifier) = (link.Split('#')[0], link.Split('#')[1]);
                        var started = Stopwatch.GetTimestamp();
                        var page = await client.GetStringAsync(path);
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        var token = TokenPattern().Match(page).Groups[1].Value;
                        started = Stopwatch.GetTimestamp();
                        using var response = await client.PostAsync(
                            path,
                            new FormUrlEncodedContent(
                                new Dictionary<string, string>
                                {
                                    ["_handler"] = "redeem",
                                    ["__RequestVerificationToken"] = token,
                                    ["Input.Verifier"] = verifier,
                                }
                            )
                        );
                        var body = await response.Content.ReadAsStringAsync();
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        if (!body.Contains("id=\"secure-content\"", StringComparison.Ordinal))
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }
                })
        );
        clock.Stop();

        var sorted = latencies.Order().ToArray();
        Console.WriteLine(
            $"{count} redemptions ({sorted.Length} requests: GET page + POST) with {concurrency} clients in "
                + $"{clock.Elapsed.TotalSeconds:0.00} s"
        );
        Console.WriteLine(
            $"throughput: {sorted.Length / clock.Elapsed.TotalSeconds:0} requests/s ({count / clock.Elapsed.TotalSeconds:0} redemptions/s)"
        );
        Console.WriteLine(
            $"latency per request: p50 {Percentile(sorted, 0.50):0.0} ms, p99 {Percentile(sorted, 0.99):0.0} ms, max {sorted[^1]:0.0} ms"
        );
        Console.WriteLine($"failed redemptions: {failures}");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<List<string>> CreateMessagesAsync(string directory, int count)
    {
        await using var host = await BenchHost.StartAsync(directory);
        var customer = await host.Get<CustomerService>().CreateAsync(new CustomerInput { Name = $"Load {Guid.NewGuid():N}" });
        var requester = await host.Get<PortalUserService>()
            .CreateAsync(
                customer,
                new NewAccountInput
                {
                    DisplayName = "Load",
                    Email = $"load-{Guid.NewGuid():N}@example.com",
                    Password = "benchmark password 2026",
                }
            );
        var ticket = await host.Get<TicketService>()
            .CreateAsync(
                new NewTicketInput
                {
                    CustomerId = customer,
                    RequesterId = requester,
                    Subject = "Load",
                    Description = "Load",
                }
            );
        await host.ActAsNewUserAsync(isAdmin: true);
        await host.Get<SettingsService>().SaveAsync(new TicketSettings { SecureMessagesEnabled = true });
        var links = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            links.Add(
                (
                    await host.Get<SecureMessageService>()
                        .CreateAsync(ticket, new SecureMessageInput { Content = $"load message {i}", ExpiryDays = 1 })
                ).Path
            );
        }

        return links;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
