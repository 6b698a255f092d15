# Sourced by the load scripts: builds the Release app and the load tool, then starts the app on 127.0.0.1:$1 on a new
# data folder with one administrator, the sign-in rate limit raised (so the load tool is not throttled) and Warning
# logging. Sets $root (the temporary folder, removed on exit), $pid and $url; returns once the app answers. The database
# is the app's own choice from the environment (Database__Provider, ConnectionStrings__BlazorVault); a PostgreSQL server
# started with scripts/postgres.sh is stopped on exit too.
start_load_app() {
  local port="$1"
  dotnet build BlazorVault -c Release -v quiet -nologo >/dev/null
  dotnet build BlazorVault.Benchmarks -c Release -v quiet -nologo >/dev/null
  root="$(mktemp -d)"
  url="http://127.0.0.1:$port"
  Storage__DataDirectory="$root/data" ASPNETCORE_ENVIRONMENT=Development \
    dotnet BlazorVault/bin/Release/net10.0/BlazorVault.dll create-admin --email load-admin@example.com \
      --password "load test password 2026" >/dev/null
  Storage__DataDirectory="$root/data" ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$url" \
    RateLimiting__SignInPerMinute=10000000 Logging__LogLevel__Default=Warning \
    dotnet BlazorVault/bin/Release/net10.0/BlazorVault.dll >"$root/app.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$root"; stop_postgres 2>/dev/null || true' EXIT
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/Account/Login" || true)" = "200" ]; do sleep 0.1; done
}
