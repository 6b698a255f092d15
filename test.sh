#!/usr/bin/env bash
# The test command: installs what the tests need (Debian's Chromium for the end-to-end tests, Debian's aiosmtpd as
# the real SMTP server of the email tests, Debian's PostgreSQL binaries for the tests on PostgreSQL, Debian's nginx for
# the two-node tests), then runs every test in the solution and every benchmark once on small data. Exits non-zero on
# any failure. End-to-end, email, PostgreSQL and two-node tests never skip: without what they need they fail.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing Debian's chromium for the end-to-end tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test.sh: Chromium is missing at /usr/bin/chromium. Install it with: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

if ! /usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing Debian's python3-aiosmtpd for the email tests (a real SMTP server on 127.0.0.1)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd >/dev/null
  else
    echo "test.sh: aiosmtpd is missing for /usr/bin/python3. Install it with: sudo apt-get install python3-aiosmtpd" >&2
    exit 1
  fi
fi

# The PostgreSQL tests start their own throwaway server (BlazorVault.Tests/Infrastructure/PostgresServer.cs) from these
# binaries; Debian's own cluster is not created, so no service starts.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing Debian's postgresql for the PostgreSQL tests (they start their own throwaway server)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-common >/dev/null
    echo "create_main_cluster = false" >>/etc/postgresql-common/createcluster.conf
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "test.sh: PostgreSQL is missing (no /usr/lib/postgresql/*/bin/initdb). Install it with: sudo apt-get install postgresql" >&2
    exit 1
  fi
fi

# The two-node tests put Debian's nginx in front of two app processes, with the product's deploy/nginx/blazorvault.conf
# in a temp folder; no nginx service is started (a policy-rc.d keeps the package from starting one while it installs).
if [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing Debian's nginx-light for the two-node tests (they start their own nginx)"
    apt-get update -qq
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      policy=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
    [ -z "$policy" ] || rm -f "$policy"
  else
    echo "test.sh: nginx is missing at /usr/sbin/nginx. Install it with: sudo apt-get install nginx-light" >&2
    exit 1
  fi
fi

# C# formatting is part of the build's contract (print width 140): a file CSharpier would change fails here.
dotnet tool restore >/dev/null
if ! dotnet csharpier check . >/dev/null; then
  dotnet csharpier check . || true
  echo "test.sh: C# files are not formatted. Run: dotnet csharpier format ." >&2
  exit 1
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
# A test that hangs is stopped after 10 minutes (the longest takes about two) and named, with the tests that ran beside
# it, instead of holding the run until CI's own limit; each test's result and time is printed as it ends. The whole run
# (about 15 minutes here) is stopped at 60, should anything outside a test hang.
timeout --kill-after=1m 60m dotnet test BlazorVault.sln --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --blame-hang-timeout 10m --blame-hang-dump-type none --results-directory "$results" || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "test.sh: the tests did not finish within 60 minutes and were stopped" >&2
fi

# Every benchmark once (BenchmarkDotNet's Dry job, in this process, on the build dotnet test made) on a thousandth of
# its data, so a benchmark whose setup or own check breaks fails CI instead of rotting until the next measurement.
bench_log="$results/benchmarks.log"
# The same for the alternated reveal measurement (scripts/measure-reveal-ratio.sh), two short rounds.
if BLAZORVAULT_BENCH_SCALE=0.001 dotnet run --project BlazorVault.Benchmarks -- smoke --artifacts "$results/benchmarks" \
  >"$bench_log" 2>&1 && BLAZORVAULT_BENCH_SCALE=0.001 dotnet run --no-build --project BlazorVault.Benchmarks -- reveal-ratio 2 3 \
  >>"$bench_log" 2>&1; then
  echo "test.sh: every benchmark ran once (Dry job, data scaled by 0.001), and the reveal ratio two rounds"
else
  cat "$bench_log"
  echo "test.sh: a benchmark failed in the Dry run above (BLAZORVAULT_BENCH_SCALE=0.001 ... -- smoke)" >&2
  [ "$status" -ne 0 ] || status=1
fi

# One plain closing line for CI: "N passed, N failed".
counters="$(grep -ho '<Counters [^>]*>' "$results"/*.trx 2>/dev/null | head -n 1 || true)"
passed="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
failed="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
if [ -z "$passed" ]; then
  echo "test.sh: no test results were produced" >&2
  exit 1
fi
echo "${passed} passed, ${failed:-0} failed"
if [ "$status" -eq 0 ] && [ "${passed}" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$status"
