#!/usr/bin/env bash
# A scoped agent's reveal against an administrator's (issue 14's budget: at most 1.05x), in one process on one database
# with AccessBenchmarks' data (10,000 customers, the agent scoped to 500, 2,000 rows), alternating blocks of the two
# reveals so the machine's drift weighs on both alike; prints each side's median and the per-round ratio. On SQLite
# files by default; with --postgres on a throwaway PostgreSQL server (scripts/postgres.sh, fsync on).
#   scripts/measure-reveal-ratio.sh [--postgres] [rounds] [reveals per block]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--postgres" ]; then
  shift
  source scripts/postgres.sh
  start_postgres
  trap stop_postgres EXIT
  export BLAZORVAULT_BENCH_POSTGRES="$pg_server"
fi
dotnet build BlazorVault.Benchmarks -c Release -v quiet -nologo >/dev/null
echo "before: $(uptime)"
dotnet BlazorVault.Benchmarks/bin/Release/net10.0/BlazorVault.Benchmarks.dll reveal-ratio "${1:-40}" "${2:-50}"
echo "after: $(uptime)"
