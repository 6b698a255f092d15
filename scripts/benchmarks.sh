#!/usr/bin/env bash
# BenchmarkDotNet's benchmarks in Release (see BlazorVault.Benchmarks/Program.cs), on SQLite files by default. With
# --postgres they run on a throwaway PostgreSQL server (scripts/postgres.sh, fsync on): BLAZORVAULT_BENCH_POSTGRES
# gives BenchHost the server, and each benchmark host gets a new database of its own. Other arguments go to
# BenchmarkDotNet; BLAZORVAULT_BENCH_SCALE scales the data as usual.
#   scripts/benchmarks.sh [--postgres] [BenchmarkDotNet options, e.g. --filter '*Vault*' --job short]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--postgres" ]; then
  shift
  source scripts/postgres.sh
  start_postgres
  trap stop_postgres EXIT
  export BLAZORVAULT_BENCH_POSTGRES="$pg_server"
fi
echo "provider: $([ -n "${BLAZORVAULT_BENCH_POSTGRES:-}" ] && echo PostgreSQL || echo Sqlite); $(uptime)"
dotnet run -c Release --project BlazorVault.Benchmarks -- "$@"
echo "after: $(uptime)"
