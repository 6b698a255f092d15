using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BlazorVault.Benchmarks.Load;

/// <summary>
/// Password sign-in throughput against a running app (see scripts/measure-signin.sh): creates K agents with known
/// passwords through Core on the app's own data folder, measures PBKDF2 verification alone (Identity's hasher at the
/// app's 220,000 iterations) on one thread and on two in parallel, then for each client count C signs in over HTTP
/// (GET /Account/Login for the antiforgery token, POST the "login" form) N times per client, each client on its own
/// accounts and with no cookie but the antiforgery one, and reports sign-ins per second, p50/p99 of the POST, the
/// app's CPU per sign-in (BLAZORVAULT_APP_PID) and the POST's cost beyond one PBKDF2 verification (issue budget: at
/// most 10 ms), finally from sign-ins each paired with a verification just before it, on one client.
/// </summary>
internal static partial class SignInLoad
{
    private const string Password = "benchmark password 2026";
    private const int Pbkdf2Iterations = 220_000;
    private const int Pbkdf2Samples = 20;
    private const int WarmUpPerClient = 3;

    public static async Task<int> RunAsync(
        string directory,
        string baseUrl,
        int accounts,
        int signInsPerClient,
        IReadOnlyList<int> clientCounts
    )
    {
        var emails = await CreateAccountsAsync(directory, accounts);
        var app = ProcessCpu.FromEnvironment();
        var pbkdf2 = new Pbkdf2();
        var (single, singleCpu, parallel) = pbkdf2.Measure();
        Console.WriteLine($"PBKDF2-HMAC-SHA512 x {Pbkdf2Iterations:N0} (PasswordHasher.VerifyHashedPassword), {Pbkdf2Samples} per thread:");
        Console.WriteLine(
            $"  1 thread:  median {Percentiles.Median(single):0.0} ms, mean {single.Average():0.0} ms, min {single.Min():0.0} ms; "
                + $"CPU {singleCpu:0.0} ms per verification"
        );
        Console.WriteLine(
            $"  2 threads: median {Percentiles.Median(parallel.Latencies):0.0} ms, mean {parallel.Latencies.Average():0.0} ms per "
                + $"verification; {parallel.Count / parallel.Seconds:0.0} verifications/s together "
                + $"(1 thread: {1000 / single.Average():0.0}/s)"
        );

        using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(baseUrl) };
        var pageCpu = await MeasurePageAsync(http, app, signInsPerClient);

        var failures = 0;
        foreach (var concurrency in clientCounts)
        {
            var cpuBefore = app?.Milliseconds();
            var result = await SignInAsync(handler, baseUrl, emails, concurrency, signInsPerClient);
            var cpu = app?.Milliseconds() - cpuBefore;
            failures += result.Failures;
            var post = result.Posts.Order().ToArray();
            var get = result.Gets.Order().ToArray();
            Console.WriteLine(
                $"{concurrency} client(s) x {signInsPerClient} sign-ins ({result.Posts.Count} measured, {WarmUpPerClient} warm-up per "
                    + $"client not counted) on {accounts} accounts in {result.Seconds:0.00} s"
            );
            Console.WriteLine($"  throughput: {result.Posts.Count / result.Seconds:0.0} sign-ins/s");
            Console.WriteLine(
                $"  POST /Account/Login: p50 {Percentiles.Of(post, 0.50):0.0} ms, p99 {Percentiles.Of(post, 0.99):0.0} ms, mean "
                    + $"{post.Average():0.0} ms, min {post[0]:0.0} ms, max {post[^1]:0.0} ms"
            );
            Console.WriteLine($"  GET  /Account/Login: p50 {Percentiles.Of(get, 0.50):0.0} ms, p99 {Percentiles.Of(get, 0.99):0.0} ms");
            var pbkdf2Median = Percentiles.Median(concurrency == 1 ? single : parallel.Latencies);
            var threads = concurrency == 1 ? "1 thread" : "2 threads";
            Console.WriteLine($"  POST p50 - PBKDF2 median ({threads}): {Percentiles.Of(post, 0.50) - pbkdf2Median:0.0} ms");
            if (cpu is { } appCpu)
            {
                var perSignIn = appCpu / result.Posts.Count;
                Console.WriteLine(
                    $"  app CPU per sign-in (GET + POST, all threads): {perSignIn:0.0} ms; POST alone (minus a GET's {pageCpu:0.0} ms): "
                        + $"{perSignIn - pageCpu:0.0} ms, "
                        + $"beyond PBKDF2's {singleCpu:0.0} ms: {perSignIn - pageCpu - singleCpu:0.0} ms"
                );
            }

            Console.WriteLine($"  failed sign-ins: {result.Failures}");
        }

        // Wall time is disturbed by whatever else runs on the machine: pair each sign-in with a PBKDF2 verification
        // just before it, on one client, and take the median of the differences.
        var differences = new List<double>(signInsPerClient);
        for (var i = 0; i < signInsPerClient; i++)
        {
            var verification = pbkdf2.VerifyOnce();
            var (ok, _, postMs) = await SignInOnceAsync(http, emails[i % emails.Count]);
            failures += ok ? 0 : 1;
            differences.Add(postMs - verification);
        }

        var sorted = differences.Order().ToArray();
        Console.WriteLine(
            $"overhead per sign-in beyond PBKDF2, {signInsPerClient} pairs (POST at 1 client - a PBKDF2 verification just before it): "
                + $"median {Percentiles.Of(sorted, 0.50):0.0} ms, p25 {Percentiles.Of(sorted, 0.25):0.0} ms, "
                + $"p75 {Percentiles.Of(sorted, 0.75):0.0} ms (budget 10 ms)"
        );
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The login page alone (GET): its latency and the app's CPU per request, to take out of a sign-in's.</summary>
    private static async Task<double> MeasurePageAsync(HttpClient http, ProcessCpu? app, int count)
    {
        for (var i = 0; i < WarmUpPerClient; i++)
        {
            using var warm = await http.GetAsync(new Uri("Account/Login", UriKind.Relative));
        }

        var latencies = new List<double>(count);
        var cpuBefore = app?.Milliseconds();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var page = await http.GetAsync(new Uri("Account/Login", UriKind.Relative));
            await page.Content.ReadAsStringAsync();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var cpu = (app?.Milliseconds() - cpuBefore) / count;
        Console.WriteLine(
            $"GET /Account/Login alone, {count} requests: median {Percentiles.Median(latencies):0.0} ms"
                + (cpu is { } perPage ? $", app CPU {perPage:0.0} ms per request" : " (set BLAZORVAULT_APP_PID for the app's CPU)")
        );
        return cpu ?? 0;
    }

    private static async Task<List<string>> CreateAccountsAsync(string directory, int count)
    {
        await using var host = await BenchHost.StartAsync(directory);
        await host.ActAsNewUserAsync(isAdmin: true);
        var run = Guid.NewGuid().ToString("N")[..8];
        var emails = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var email = $"signin-{run}-{i}@example.com";
            await host.Get<AgentService>()
                .CreateAsync(
                    new NewAccountInput
                    {
                        DisplayName = $"Sign-in {i}",
                        Email = email,
                        Password = Password,
                    },
                    isAdmin: false
                );
            emails.Add(email);
        }

        return emails;
    }

    /// <summary>Identity's hasher as the app configures it, verifying a hash it made itself.</summary>
    private sealed class Pbkdf2
    {
        private readonly PasswordHasher<ApplicationUser> _hasher = new(
            Options.Create(new PasswordHasherOptions { IterationCount = Pbkdf2Iterations })
        );
        private readonly ApplicationUser _user = new();
        private readonly string _hash;

        public Pbkdf2() => _hash = _hasher.HashPassword(_user, Password);

        public double VerifyOnce()
        {
            var started = Stopwatch.GetTimestamp();
            if (_hasher.VerifyHashedPassword(_user, _hash, Password) != PasswordVerificationResult.Success)
            {
                throw new InvalidOperationException("The password did not verify against its own hash.");
            }

            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        /// <summary>Wall time per verification on one thread (and its CPU time), and on two threads at once.</summary>
        public (List<double> Single, double SingleCpu, (List<double> Latencies, int Count, double Seconds) Parallel) Measure()
        {
            Verify(2);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var single = Verify(Pbkdf2Samples);
            var singleCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / Pbkdf2Samples;
            var clock = Stopwatch.StartNew();
            var threads = Enumerable
                .Range(0, 2)
                .Select(_ =>
                    Task.Factory.StartNew(
                        () => Verify(Pbkdf2Samples),
                        CancellationToken.None,
                        TaskCreationOptions.LongRunning,
                        TaskScheduler.Default
                    )
                )
                .ToArray();
            Task.WaitAll(threads);
            clock.Stop();
            return (single, singleCpu, (threads.SelectMany(t => t.Result).ToList(), 2 * Pbkdf2Samples, clock.Elapsed.TotalSeconds));
        }

        private List<double> Verify(int times) => Enumerable.Range(0, times).Select(_ => VerifyOnce()).ToList();
    }

    private static async Task<(List<double> Posts, List<double> Gets, int Failures, double Seconds)> SignInAsync(
        SocketsHttpHandler handler,
        string baseUrl,
        List<string> emails,
        int concurrency,
        int signInsPerClient
    )
    {
        var posts = new System.Collections.Concurrent.ConcurrentBag<double>();
        var gets = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failures = 0;
        var clock = new Stopwatch();
        using var warmUp = new Barrier(concurrency, _ => clock.Start());
        await Task.WhenAll(
            Enumerable
                .Range(0, concurrency)
                .Select(client =>
                    Task.Run(async () =>
                    {
                        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(baseUrl) };

                        // Each client signs in with its own accounts, so no two clients update the same one at once.
                        var mine = emails.Where((_, i) => i % concurrency == client).ToList();
                        if (mine.Count == 0)
                        {
                            mine = [emails[client % emails.Count]];
                        }

                        for (var i = 0; i < WarmUpPerClient + signInsPerClient; i++)
                        {
                            if (i == WarmUpPerClient)
                            {
                                warmUp.SignalAndWait();
                            }

                            var measured = i >= WarmUpPerClient;
                            var (ok, get, post) = await SignInOnceAsync(http, mine[i % mine.Count]);
                            if (measured)
                            {
                                gets.Add(get);
                                posts.Add(post);
                                if (!ok)
                                {
                                    Interlocked.Increment(ref failures);
                                }
                            }
                            else if (!ok)
                            {
                                throw new InvalidOperationException("A warm-up sign-in failed; see the app's log.");
                            }
                        }
                    })
                )
        );
        clock.Stop();
        return (posts.ToList(), gets.ToList(), failures, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One sign-in as a browser without a session does it; a success is a redirect away from the login pages with the sign-in cookie.
    /// </summary>
    private static async Task<(bool Ok, double GetMs, double PostMs)> SignInOnceAsync(HttpClient http, string email)
    {
        var started = Stopwatch.GetTimestamp();
        using var page = await http.GetAsync(new Uri("Account/Login", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        var getMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var token = TokenPattern().Match(html).Groups[1].Value;
        var cookies = page.Headers.TryGetValues("Set-Cookie", out var set) ? string.Join("; ", set.Select(c => c.Split(';')[0])) : "";

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("Account/Login", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["_handler"] = "login",
                    ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
                    ["Input.Email"] = email,
                    ["Input.Password"] = Password,
                }
            ),
        };
        request.Headers.Add("Cookie", cookies);
        started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        var postMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var location = response.Headers.Location?.ToString() ?? "";
        var signedIn =
            response.Headers.TryGetValues("Set-Cookie", out var issued)
            && issued.Any(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        var ok =
            response.StatusCode == HttpStatusCode.Redirect
            && !location.Contains("/Account/", StringComparison.OrdinalIgnoreCase)
            && signedIn;
        return (ok, getMs, postMs);
    }

    public static IReadOnlyList<int> ParseCounts(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => int.Parse(c, CultureInfo.InvariantCulture))
            .ToList();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
