# Sourced by the measurement scripts: start_postgres starts a throwaway PostgreSQL server from Debian's binaries (as the
# tests do: test.sh installs them) in a new temp folder, on a free loopback port with a random scram password, and
# creates the database "blazorvault". Durable settings by default (fsync on, as in production); BLAZORVAULT_PG_FSYNC=off
# turns fsync and synchronous_commit off to compare. Sets $pg_server (a connection string to the "postgres" database)
# and $pg_connection (to "blazorvault"); stop_postgres stops it and deletes the folder.
start_postgres() {
  local bin password port
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bin" ]; then
    echo "PostgreSQL is missing (no /usr/lib/postgresql/*/bin). Install it with: sudo apt-get install postgresql" >&2
    return 1
  fi
  pg_dir="$(mktemp -d)"
  chmod 700 "$pg_dir"
  password="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s' "$password" >"$pg_dir/password"
  # initdb and postgres refuse to run as root: run them as the postgres user on a folder it owns.
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres:postgres "$pg_dir"
    pg_as=(runuser -u postgres --)
  else
    pg_as=()
  fi
  "${pg_as[@]}" "$bin/initdb" -D "$pg_dir/data" -U postgres --pwfile "$pg_dir/password" --auth-host=scram-sha-256 \
    --auth-local=trust --encoding=UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1
  rm -f "$pg_dir/password"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  local fsync="${BLAZORVAULT_PG_FSYNC:-on}"
  cat >>"$pg_dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pg_dir'
max_connections = 200
fsync = $fsync
synchronous_commit = $fsync
CONF
  pg_bin="$bin"
  "${pg_as[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start >/dev/null
  "${pg_as[@]}" "$bin/psql" -h "$pg_dir" -p "$port" -U postgres -q -c "CREATE DATABASE blazorvault" postgres
  pg_server="Host=127.0.0.1;Port=$port;Database=postgres;Username=postgres;Password=$password"
  pg_connection="Host=127.0.0.1;Port=$port;Database=blazorvault;Username=postgres;Password=$password"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, fsync=$fsync"
}

stop_postgres() {
  if [ -n "${pg_dir:-}" ]; then
    "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
