#!/usr/bin/env bash
# Measures start-up to the first page, from launching the built app until a page answers 200, twice:
#   new installation: an empty data folder until /setup answers (migrations, first key, first render); five runs, each
#                     on a new data folder;
#   migrated restart: a data folder that has been started once and has an administrator, until /Account/Login
#                     answers; five restarts of the same folder.
# Prints each run, the medians, and each run's "Start-up:" log line (where the time went).
#   scripts/measure-startup.sh               the Release build, as `dotnet run -c Release` starts it
#   scripts/measure-startup.sh --published   the ReadyToRun publish the README deploys (code compiled ahead of time)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
if [ "${1:-}" = "--published" ]; then
  dotnet publish BlazorVault -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$root/app" \
    -v quiet -nologo >/dev/null
  app="$root/app/BlazorVault.dll"
  echo "ReadyToRun publish in $root/app"
else
  dotnet build BlazorVault -c Release -v quiet -nologo >/dev/null
  app="$PWD/BlazorVault/bin/Release/net10.0/BlazorVault.dll"
fi
cd "$(dirname "$app")"
port=5099

# start_app DATA PATH LOG: launches the app on DATA, waits until PATH answers 200, stops it; prints the milliseconds.
start_app() {
  local data="$1" path="$2" log="$3" start pid ms
  start=$(date +%s%N)
  Storage__DataDirectory="$data" ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" \
    Hosting__TlsTerminatedByProxy=true dotnet "$app" >"$log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path" || true)" = "200" ]; do
    sleep 0.02
    if [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 30000 ]; then echo "no answer after 30 s" >&2; cat "$log" >&2; exit 1; fi
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$ms"
}

# measure NAME DATA_FOR_RUN PATH: five runs, then the median and the start-up log lines.
measure() {
  local name="$1" folder_for_run="$2" path="$3" times=() lines=() run data ms sorted
  echo "== $name (to $path answering 200), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for run in 1 2 3 4 5; do
    data="$($folder_for_run)"
    ms=$(start_app "$data" "$path" "$data/app.log")
    times+=("$ms")
    lines+=("$(grep -o 'Start-up:.*' "$data/app.log" | tail -n1 || true)")
    echo "run $run: ${ms} ms to the first page"
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "median: ${sorted[2]} ms (min ${sorted[0]}, max ${sorted[4]})"
  printf '  %s\n' "${lines[@]}"
}

new_folder() { mktemp -d -p "$root"; }

# One data folder for the restarts: started once (migrated, first key, Data Protection key), then given an administrator.
migrated="$(new_folder)"
start_app "$migrated" /setup "$migrated/first.log" >/dev/null
Storage__DataDirectory="$migrated" dotnet "$app" create-admin --email admin@example.com --password "$(openssl rand -hex 16)" >/dev/null
same_folder() { echo "$migrated"; }

measure "new installation" new_folder /setup
measure "migrated restart" same_folder /Account/Login
