#!/usr/bin/env bash
# A scoped agent's reveal against an administrator's (issue 14's budget: at most 1.05x), in one process on one database
# with AccessBenchmarks' data (10,000 customers, the agent scoped to 500, 2,000 rows), alternating blocks of the two
# reveals so the machine's drift weighs on both alike; prints each side's median and the per-round ratio. On SQLite
# files by default; with --postgres on a throwaway PostgreSQL server, through scripts/benchmarks.sh.
#   scripts/measure-reveal-ratio.sh [--postgres] [rounds] [reveals per block]
set -euo pipefail
postgres=()
if [ "${1:-}" = "--postgres" ]; then
  postgres=(--postgres)
  shift
fi
exec "$(dirname "$0")/benchmarks.sh" "${postgres[@]}" reveal-ratio "${1:-40}" "${2:-50}"
