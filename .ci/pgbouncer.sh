#!/usr/bin/env bash
# Runs a command with PgBouncer in transaction pooling mode in front of the local PostgreSQL:
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/motovault .ci/pgbouncer.sh COMMAND [ARGS...]
#
# It writes a config into a temporary directory, starts Debian's PgBouncer in the background on
# the first free port of TEST_PORTS (e.g. 19150-19199) or on any free port, waits until it
# answers, prints the port, and runs COMMAND with DATABASE_URL pointing at PgBouncer,
# DATABASE_POOLER=pgbouncer and PGBOUNCER_PORT. On exit, whatever happened, it stops PgBouncer,
# removes the directory and drops test_<name>, the test database of DATABASE_URL's name.
#
# Any database name passes through (`* =`), so pytest-django creates and migrates test_<name>
# through PgBouncer: CREATE DATABASE runs in autocommit, one statement, which transaction pooling
# allows. Dropping it at the end does not work through PgBouncer, which keeps idle server
# connections to it; so run pytest with `--reuse-db --create-db` (a fresh database, not dropped
# by pytest) and let this script drop it once PgBouncer has closed those connections.
set -euo pipefail

if [ $# -eq 0 ]; then
  sed -n '2,16p' "$0" >&2
  exit 2
fi

port=$(python3 - "${TEST_PORTS:-}" <<'EOF'
import socket
import sys
first, _, last = sys.argv[1].partition("-")
candidates = list(range(int(first), int(last or first) + 1)) if first else [0]
for port in candidates:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(sock.getsockname()[1])
        break
else:
    sys.exit(f"no free port in TEST_PORTS={sys.argv[1]}")
EOF
)

url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/motovault}"
# From DATABASE_URL: host, port, user and database name, and the same URL on PgBouncer's port.
read -r pg_host pg_port pg_user pg_name bouncer_url < <(python3 - "$url" "$port" <<'EOF'
import sys
from urllib.parse import urlsplit
url, port = urlsplit(sys.argv[1]), sys.argv[2]
netloc = url.netloc.rpartition("@")[0] + "@" if "@" in url.netloc else ""
bouncer = url._replace(netloc=f"{netloc}127.0.0.1:{port}").geturl()
print(url.hostname or "127.0.0.1", url.port or 5432, url.username or "postgres", url.path[1:], bouncer)
EOF
)

dir=$(mktemp -d -t motovault-pgbouncer.XXXXXX)
chmod 755 "$dir"
stop() {
  if [ -f "$dir/pgbouncer.pid" ]; then
    kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$dir/pgbouncer.pid" ] || break; sleep 0.1; done
  fi
  psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -qc \
    "DROP DATABASE IF EXISTS \"test_$pg_name\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

# trust: no password between the app and PgBouncer; the user must still be in auth_file. Server
# connections use the same user as the client, which PostgreSQL trusts on loopback.
printf '"%s" ""\n' "$pg_user" >"$dir/users.txt"
cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=$pg_host port=$pg_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/users.txt
pool_mode = transaction
; Test runs and the benchmark's gunicorn workers each keep a psycopg pool of up to 10 clients.
max_client_conn = 500
default_pool_size = 20
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF

# PgBouncer refuses to run as root; it then drops to the postgres user, which must read the files.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  as_user=(-u postgres)
  chown -R postgres "$dir"
fi
/usr/sbin/pgbouncer -d "${as_user[@]}" "$dir/pgbouncer.ini"
for _ in $(seq 50); do
  psql -h 127.0.0.1 -p "$port" -U "$pg_user" -d postgres -tAc "SELECT 1" >/dev/null 2>&1 && break
  sleep 0.1
done
if ! psql -h 127.0.0.1 -p "$port" -U "$pg_user" -d postgres -tAc "SELECT 1" >/dev/null; then
  cat "$dir/pgbouncer.log" >&2
  exit 1
fi
echo "PgBouncer (transaction pooling) on 127.0.0.1:$port in front of $pg_host:$pg_port"

export PGBOUNCER_PORT=$port
export DATABASE_POOLER=pgbouncer
export DATABASE_URL="$bouncer_url"
"$@"
