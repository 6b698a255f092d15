#!/usr/bin/env bash
# Secure-message redemption on two nodes behind nginx next to one node, in the same run, on one throwaway PostgreSQL
# server (scripts/postgres.sh, fsync on): starts nodes A and B (one key folder, Cluster:NodeName node-a and node-b) and
# nginx with the product's deploy/nginx/blazorvault.conf (its "set:" values replaced, a self-signed certificate), then runs
# the redemption load (scripts/measure-redeem.sh's tool) against node A directly, then through nginx with node A as its
# only upstream (the one-node figure to compare with: nginx and TLS cost the same 2 cores), then through nginx with both
# nodes, and prints each node's share of the requests nginx sent (from the access logs). Both nodes share this machine's
# cores: two nodes cannot be faster here, the figures to watch are errors (0) and the two-node rate against the one-node
# rate behind the same nginx.
#   scripts/measure-redeem-two-nodes.sh [messages] [clients] [plain-page seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-2000}"
clients="${2:-16}"
seconds="${3:-10}"
nginx_bin=/usr/sbin/nginx
[ -x "$nginx_bin" ] || { echo "nginx is missing at $nginx_bin. Install it with: sudo apt-get install nginx-light" >&2; exit 1; }

source scripts/postgres.sh
start_postgres
dotnet build BlazorVault -c Release -v quiet -nologo >/dev/null
dotnet build BlazorVault.Benchmarks -c Release -v quiet -nologo >/dev/null
root="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$root"; stop_postgres' EXIT
app=BlazorVault/bin/Release/net10.0/BlazorVault.dll
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export Database__Provider=PostgreSQL ConnectionStrings__BlazorVault="$pg_connection" ASPNETCORE_ENVIRONMENT=Development \
  RateLimiting__SignInPerMinute=10000000 Logging__LogLevel__Default=Warning Hosting__TlsTerminatedByProxy=true
# The load tool seeds messages through Core on "$root/data": the nodes use that folder's key folder.
Storage__DataDirectory="$root/data" dotnet "$app" create-admin --email load-admin@example.com \
  --password "load test password 2026" >/dev/null
declare -A node_port
for node in node-a node-b; do
  node_port[$node]="$(free_port)"
  mkdir -p "$root/$node"
  Storage__DataDirectory="$root/$node" Storage__KeyDirectory="$root/data/keys" Cluster__NodeName="$node" \
    ASPNETCORE_URLS="http://127.0.0.1:${node_port[$node]}" dotnet "$app" >"$root/$node.log" 2>&1 &
  pids+=($!)
done
for node in node-a node-b; do
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${node_port[$node]}/readyz" || true)" = "200" ]; do sleep 0.2; done
done

# nginx: the product's file with its "set:" values replaced, as the two-node tests do (NginxServer.cs), in its own folder
# under $root/$1 on a new HTTPS port ($https_port). $2 is a sed expression applied first (deleting node B's upstream line).
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$root/server.key" -out "$root/server.pem" 2>/dev/null
start_nginx() {
  local dir="$root/$1"
  mkdir -p "$dir/temp"
  https_port="$(free_port)"
  sed -e "$2" -e "s|server 10.0.0.11:5080 |server 127.0.0.1:${node_port[node-a]} |" \
    -e "s|server 10.0.0.12:5080 |server 127.0.0.1:${node_port[node-b]} |" \
    -e "s|listen 80;|listen 127.0.0.1:$(free_port);|" -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" \
    -e "s|/etc/ssl/certs/vault.example.com.pem|$root/server.pem|" -e "s|/etc/ssl/private/vault.example.com.key|$root/server.key|" \
    -e "s|/var/log/nginx/blazorvault.access.log|$dir/access.log|" deploy/nginx/blazorvault.conf >"$dir/blazorvault.conf"
  cat >"$dir/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
$([ "$(id -u)" -eq 0 ] && echo "user root;")
events { worker_connections 1024; }
http {
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    include $dir/blazorvault.conf;
}
CONF
  "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  pids+=($!)
  until curl -sk -o /dev/null "https://127.0.0.1:$https_port/healthz"; do sleep 0.1; done
}

load() {
  dotnet BlazorVault.Benchmarks/bin/Release/net10.0/BlazorVault.Benchmarks.dll redeem-load "$root" "$1" "$count" "$clients" "$seconds"
}
status=0
echo "=== one node (node-a, directly); before: $(uptime)"
load "http://127.0.0.1:${node_port[node-a]}" || status=$?
start_nginx one-node "/server 10.0.0.12:5080 /d"
echo "=== one node behind nginx (https://127.0.0.1:$https_port); before: $(uptime)"
BLAZORVAULT_LOAD_CERTIFICATE="$root/server.pem" load "https://127.0.0.1:$https_port" || status=$?
start_nginx two-nodes ""
echo "=== two nodes behind nginx (https://127.0.0.1:$https_port); before: $(uptime)"
BLAZORVAULT_LOAD_CERTIFICATE="$root/server.pem" load "https://127.0.0.1:$https_port" || status=$?
echo "after: $(uptime)"
echo "requests nginx sent to each node (plain page and redemptions), one node behind nginx, then two:"
for run in one-node two-nodes; do
  for node in node-a node-b; do
    echo "  $run, $node: $(grep -c "upstream=127.0.0.1:${node_port[$node]} " "$root/$run/access.log" || true)"
  done
  echo "  $run, responses of 5xx: $(awk '$6 ~ /^5/' "$root/$run/access.log" | wc -l)"
done
exit "$status"
