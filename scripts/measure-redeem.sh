#!/usr/bin/env bash
# Secure-message redemption throughput: starts the built app on a new data folder (sign-in rate limit raised so the
# load tool on 127.0.0.1 is not throttled), creates messages without a passphrase through Core on the same data,
# then redeems each once (GET page + POST) with concurrent clients; prints requests/s and p50/p99 latency.
#   scripts/measure-redeem.sh [messages] [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-3000}"
clients="${2:-16}"
source scripts/load-app.sh
start_load_app 5098
dotnet BlazorVault.Benchmarks/bin/Release/net10.0/BlazorVault.Benchmarks.dll redeem-load "$root" "$url" "$count" "$clients"
