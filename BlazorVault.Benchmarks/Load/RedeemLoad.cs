using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
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
/// Redemption throughput against a running app (see scripts/measure-redeem.sh), next to the floor measured in the same
/// run: after a warm-up of both, C concurrent clients fetch a plain server-rendered page (GET /Account/Login) for a fixed
/// time and the same C clients redeem N messages once each over HTTP (GET the page, POST the form with the antiforgery
/// token and the verifier), the two alternated in rounds. Messages without a passphrase are created beforehand through
/// Core on the app's own database. Prints both request rates, their ratio, redemptions per second and p50/p99 of each
/// (issue 13's goal: p99 under 100 ms and at least half the plain page's request rate). The same .NET client measures
/// both, so its own cost weighs on both alike.
/// </summary>
internal static partial class RedeemLoad
{
    private const string PlainPage = "Account/Login";

    /// <summary>
    /// Plain-page time and redemptions per client before anything is measured: on 2 busy cores the runtime's tiered
    /// compilation of the app takes tens of seconds to settle, and a run that starts sooner measures the JIT (it was 15–20% of
    /// the app's CPU through a whole run after 5 redemptions per client) rather than the app a server runs for days.
    /// </summary>
    private static readonly TimeSpan PlainWarmUp = TimeSpan.FromSeconds(15);

    /// <inheritdoc cref="PlainWarmUp"/>
    private const int WarmUpPerClient = 200;

    /// <summary>
    /// The measured part alternates the two sides: each round fetches the plain page for a fifth of the plain-page time, then
    /// redeems a fifth of the messages. On this shared 2-core machine the speed drifts by a third between minutes; measured in
    /// alternation, both sides see the same drift, and the ratio of each round shows how much the figure moves.
    /// </summary>
    private const int Rounds = 5;

    public static async Task<int> RunAsync(string directory, string baseUrl, int count, int concurrency, TimeSpan plainDuration)
    {
        var links = await CreateMessagesAsync(directory, count + WarmUpPerClient * concurrency);
        var clients = Enumerable.Range(0, concurrency).Select(_ => NewClient(baseUrl)).ToList();
        try
        {
            await RunClientsAsync(clients, GetPlainPageAsync, PlainWarmUp);
            await DrainAsync(clients, new ConcurrentQueue<string>(links.Take(WarmUpPerClient * concurrency)));
            var app = ProcessCpu.FromEnvironment();
            var database = ProcessCpu.DatabaseFromEnvironment();
            var plain = new Side();
            var redeem = new Side();
            var roundRatios = new List<double>(Rounds);
            var failures = 0;
            var measured = links.Skip(WarmUpPerClient * concurrency).ToList();
            for (var round = 0; round < Rounds; round++)
            {
                var (plainRound, plainCpu) = await MeasureAsync(
                    app,
                    database,
                    () => RunClientsAsync(clients, GetPlainPageAsync, plainDuration / Rounds)
                );
                plain.Add(plainRound.Latencies, plainRound.Seconds, plainCpu);
                var batch = measured.Skip(round * count / Rounds).Take((round + 1) * count / Rounds - round * count / Rounds);
                var (redeemRound, redeemCpu) = await MeasureAsync(
                    app,
                    database,
                    () => DrainAsync(clients, new ConcurrentQueue<string>(batch))
                );
                redeem.Add(redeemRound.Latencies, redeemRound.Seconds, redeemCpu);
                redeem.Gets.AddRange(redeemRound.Gets);
                redeem.Posts.AddRange(redeemRound.Posts);
                failures += redeemRound.Failures;
                roundRatios.Add(redeemRound.Count / redeemRound.Seconds / (plainRound.Count / plainRound.Seconds));
            }

            Console.WriteLine(
                $"plain page (GET /{PlainPage}), {concurrency} clients for {plain.Seconds:0.0} s: {plain.Count} requests, "
                    + $"{plain.Rate:0} requests/s, {Latency(plain.Latencies)}"
            );
            Console.WriteLine(
                $"redemption (GET page + POST), {concurrency} clients: {count} redemptions ({redeem.Count} requests) in "
                    + $"{redeem.Seconds:0.00} s, {redeem.Rate:0} requests/s ({count / redeem.Seconds:0} redemptions/s)"
            );
            Console.WriteLine($"  all requests: {Latency(redeem.Latencies)}");
            Console.WriteLine($"  GET page:     {Latency(redeem.Gets)}");
            Console.WriteLine($"  POST redeem:  {Latency(redeem.Posts)}");
            Console.WriteLine(
                $"ratio (redemption requests/s / plain-page requests/s): {redeem.Rate / plain.Rate:0.00} "
                    + "(goal: at least 0.5; p99 under 100 ms)"
            );
            Console.WriteLine(
                $"  each of {Rounds} alternated rounds: "
                    + string.Join(", ", roundRatios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))
                    + $" (median {roundRatios.Order().ElementAt(Rounds / 2):0.00})"
            );
            if (app is not null)
            {
                // CPU time per request is less moved by other work on the machine than wall time.
                Console.WriteLine(
                    $"app CPU per request (all threads): plain page {plain.AppCpu / plain.Count:0.00} ms, redemption request "
                        + $"{redeem.AppCpu / redeem.Count:0.00} ms ({redeem.AppCpu / count:0.00} ms per redemption)"
                );
            }

            if (database is not null)
            {
                // On one machine the database server's CPU comes out of the same cores as the app's and the load tool's.
                Console.WriteLine(
                    $"database server CPU per request: plain page {plain.DatabaseCpu / plain.Count:0.00} ms, redemption request "
                        + $"{redeem.DatabaseCpu / redeem.Count:0.00} ms ({redeem.DatabaseCpu / count:0.00} ms per redemption)"
                );
            }

            Console.WriteLine($"failed redemptions: {failures}");
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Runs one side's round, with the app's and the database server's CPU time it took (0 where not measured).</summary>
    private static async Task<(T Result, (double App, double Database) Cpu)> MeasureAsync<T>(
        ProcessCpu? app,
        ProcessCpu? database,
        Func<Task<T>> round
    )
    {
        var (appBefore, databaseBefore) = (app?.Milliseconds() ?? 0, database?.Milliseconds() ?? 0);
        var result = await round();
        return (result, ((app?.Milliseconds() ?? 0) - appBefore, (database?.Milliseconds() ?? 0) - databaseBefore));
    }

    /// <summary>One side's rounds added up: its requests' latencies, its time, and the CPU time it took.</summary>
    private sealed class Side
    {
        public List<double> Latencies { get; } = [];

        public List<double> Gets { get; } = [];

        public List<double> Posts { get; } = [];

        public double Seconds { get; private set; }

        public double AppCpu { get; private set; }

        public double DatabaseCpu { get; private set; }

        public int Count => Latencies.Count;

        public double Rate => Count / Seconds;

        public void Add(IEnumerable<double> latencies, double seconds, (double App, double Database) cpu)
        {
            Latencies.AddRange(latencies);
            Seconds += seconds;
            AppCpu += cpu.App;
            DatabaseCpu += cpu.Database;
        }
    }

    /// <summary>
    /// One client per simulated browser, with its own cookies, as the redemption page needs for antiforgery (and nginx for
    /// its affinity cookie). <c>BLAZORVAULT_LOAD_CERTIFICATE</c> names a PEM file: the one certificate an HTTPS address may
    /// present (the self-signed one of scripts/measure-redeem-two-nodes.sh's nginx).
    /// </summary>
    private static HttpClient NewClient(string baseUrl)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        if (Environment.GetEnvironmentVariable("BLAZORVAULT_LOAD_CERTIFICATE") is { Length: > 0 } file)
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(file));
            var thumbprint = certificate.Thumbprint;
            handler.ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == thumbprint;
        }

        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
    }

    private static async Task<double> GetPlainPageAsync(HttpClient client)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(new Uri(PlainPage, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsStringAsync();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>Every client repeats <paramref name="request"/> until <paramref name="duration"/> has passed.</summary>
    private static async Task<(List<double> Latencies, int Count, double Seconds)> RunClientsAsync(
        List<HttpClient> clients,
        Func<HttpClient, Task<double>> request,
        TimeSpan duration
    )
    {
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(
            clients.Select(async client =>
            {
                while (clock.Elapsed < duration)
                {
                    latencies.Add(await request(client));
                }
            })
        );
        clock.Stop();
        return (latencies.ToList(), latencies.Count, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The clients redeem the queued links, each once, until none is left.</summary>
    private static async Task<Redemptions> DrainAsync(List<HttpClient> clients, ConcurrentQueue<string> queue)
    {
        var gets = new ConcurrentBag<double>();
        var posts = new ConcurrentBag<double>();
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(
            clients.Select(async client =>
            {
                while (queue.TryDequeue(out var link))
                {
                    var (path, verifier) = (link.Split('#')[0], link.Split('#')[1]);
                    var started = Stopwatch.GetTimestamp();
                    var page = await client.GetStringAsync(path);
                    gets.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
                    posts.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (!body.Contains("id=\"secure-content\"", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            })
        );
        clock.Stop();
        return new Redemptions([.. gets], [.. posts], failures, clock.Elapsed.TotalSeconds);
    }

    private sealed record Redemptions(List<double> Gets, List<double> Posts, int Failures, double Seconds)
    {
        public List<double> Latencies => [.. Gets, .. Posts];

        public int Count => Gets.Count + Posts.Count;
    }

    private static string Latency(List<double> latencies)
    {
        var sorted = latencies.Order().ToArray();
        return $"p50 {Percentiles.Of(sorted, 0.50):0.0} ms, p99 {Percentiles.Of(sorted, 0.99):0.0} ms, max {sorted[^1]:0.0} ms";
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
        // Read first: a second run on the same database (one node, then two) saves on the version the first left.
        var settings = host.Get<SettingsService>();
        var tickets = await settings.GetAsync<TicketSettings>();
        tickets.SecureMessagesEnabled = true;
        await settings.SaveAsync(tickets);
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

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
