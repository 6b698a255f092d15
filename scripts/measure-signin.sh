#!/usr/bin/env bash
# Password sign-in throughput: starts the built app on a new data folder (sign-in rate limit raised so the load tool
# on 127.0.0.1 is not throttled), creates agents with known passwords through Core on the same data, measures one
# PBKDF2 verification (220,000 iterations) on 1 and 2 threads, then signs in over HTTP (GET /Account/Login + POST the
# login form) with each number of concurrent clients in turn; prints sign-ins/s, p50/p99 of the POST, the app's CPU
# per sign-in (from /proc, given its pid) and the POST's cost beyond PBKDF2 (issue budget: 10 ms), the latter also
# from sign-ins each paired with a PBKDF2 verification just before it, which other load on the machine disturbs less.
#   scripts/measure-signin.sh [sign-ins per client] [clients, comma-separated] [accounts]
set -euo pipefail
cd "$(dirname "$0")/.."
signins="${1:-40}"
clients="${2:-1,2,4}"
accounts="${3:-16}"
source scripts/load-app.sh
start_load_app 5099
status=0
BLAZORVAULT_APP_PID=$pid dotnet BlazorVault.Benchmarks/bin/Release/net10.0/BlazorVault.Benchmarks.dll \
  signin-load "$root" "$url" "$accounts" "$signins" "$clients" || status=$?
if [ "$status" -ne 0 ]; then echo "--- app log (last 40 lines)"; tail -n 40 "$root/app.log"; fi
exit "$status"
