#!/usr/bin/env bash
# Secure-message redemption throughput next to a plain page's, measured in the same run: starts the built app on a new
# data folder (sign-in rate limit raised so the load tool on 127.0.0.1 is not throttled), creates messages without a
# passphrase through Core on the same database, warms both up (15 s of the plain page, 200 redemptions per client: the
# runtime's tiered compilation takes that long to settle on 2 busy cores), then with the same concurrent clients alternates
# 5 rounds of fetching GET /Account/Login (a fifth of the plain-page time) and redeeming a fifth of the messages once each
# (GET page + POST), so that both sides see the machine's drift alike; prints both request rates, their ratio (overall and
# per round), redemptions/s and p50/p99 of each, the app's CPU time per request of each (from /proc), and the load average before and after
# (other work on the machine moves the wall-time figures).
# With --postgres, the app runs on a throwaway PostgreSQL server (scripts/postgres.sh, fsync on) instead of SQLite, and
# the database server's CPU time per request (its backends included) is printed too.
#   scripts/measure-redeem.sh [--postgres] [messages] [clients] [plain-page seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--postgres" ]; then
  shift
  source scripts/postgres.sh
  start_postgres
  trap stop_postgres EXIT
  export Database__Provider=PostgreSQL ConnectionStrings__BlazorVault="$pg_connection"
  BLAZORVAULT_DB_PID="$(head -n 1 "$pg_dir/data/postmaster.pid")"
  export BLAZORVAULT_DB_PID
fi
count="${1:-3000}"
clients="${2:-16}"
seconds="${3:-10}"
source scripts/load-app.sh
start_load_app 5098
echo "provider: ${Database__Provider:-Sqlite}; before: $(uptime)"
status=0
BLAZORVAULT_APP_PID=$pid dotnet BlazorVault.Benchmarks/bin/Release/net10.0/BlazorVault.Benchmarks.dll \
  redeem-load "$root" "$url" "$count" "$clients" "$seconds" || status=$?
echo "after: $(uptime)"
if [ "$status" -ne 0 ]; then echo "--- app log (last 40 lines)"; tail -n 40 "$root/app.log"; fi
exit "$status"
