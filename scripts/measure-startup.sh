#!/usr/bin/env bash
# Measures start-up to first page with an empty database: from launching the built app until /setup answers
# 200 (migrations applied, folders created, first page rendered). Five cold runs, each on a new data folder.
#   scripts/measure-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build BlazorVault -c Release -v quiet -nologo >/dev/null
app="$PWD/BlazorVault/bin/Release/net10.0/BlazorVault.dll"
port=5099
times=()
for run in 1 2 3 4 5; do
  data="$(mktemp -d)"
  start=$(date +%s%N)
  Storage__DataDirectory="$data" ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" \
    Hosting__TlsTerminatedByProxy=true dotnet "$app" >"$data/app.log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/setup" || true)" = "200" ]; do
    sleep 0.02
    if [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 30000 ]; then echo "no answer after 30 s" >&2; cat "$data/app.log" >&2; exit 1; fi
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  times+=("$ms")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  echo "run $run: ${ms} ms to the first page"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "median: ${sorted[2]} ms (min ${sorted[0]}, max ${sorted[4]})"
