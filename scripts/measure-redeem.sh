#!/usr/bin/env bash
# Secure-message redemption throughput: starts the built app on a new data folder (sign-in rate limit raised so the
# load tool on 127.0.0.1 is not throttled), creates messages without a passphrase through Core on the same data,
# then redeems each once (GET page + POST) with concurrent clients; prints requests/s and p50/p99 latency.
#   scripts/measure-redeem.sh [messages] [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-3000}"
clients="${2:-16}"
dotnet build BlazorVault -c Release -v quiet -nologo >/dev/null
dotnet build BlazorVault.Benchmarks -c Release -v quiet -nologo >/dev/null
root="$(mktemp -d)"
port=5098
Storage__DataDirectory="$root/data" ASPNETCORE_ENVIRONMENT=Development \
  dotnet BlazorVault/bin/Release/net10.0/BlazorVault.dll create-admin --email load-admin@example.com --password "load test password 2026" >/dev/null
Storage__DataDirectory="$root/data" ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port" \
  RateLimiting__SignInPerMinute=10000000 Logging__LogLevel__Default=Warning \
  dotnet BlazorVault/bin/Release/net10.0/BlazorVault.dll >"$root/app.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$root"' EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/Account/Login" || true)" = "200" ]; do sleep 0.1; done
dotnet BlazorVault.Benchmarks/bin/Release/net10.0/BlazorVault.Benchmarks.dll redeem-load "$root" "http://127.0.0.1:$port" "$count" "$clients"
