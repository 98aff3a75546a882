#!/bin/bash
# pgbench through shardgate: -i (tables on the default shard), then -S and the default
# TPC-B-like script in simple, extended and prepared modes, a few seconds each; then 1,000
# concurrent clients over 10 backend connections (2 workers x pool_size 5).
set -euo pipefail
ulimit -n 8192
shardgate="$1"
map="$2"
dir=$(mktemp -d /tmp/sg_pgbench.XXXXXX)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$dir/shardgate.yaml" <<CONF
shard_map: $map
postgres_listen: 127.0.0.1:$port
mysql_listen: off
workers: 2
pool_size: 5
pool_timeout_ms: 30000
backend_user: app
backend_password: app
users:
  - {name: app, password: app}
  - {name: bulk, password: unused, auth: trust}  # no client-side PBKDF2 for 1,000 logins
CONF
"$shardgate" --config "$dir/shardgate.yaml" > "$dir/shardgate.log" 2>&1 &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do
    (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break
    sleep 0.05
done
export PGPASSWORD=app
pgb() { pgbench -h 127.0.0.1 -p "$port" -U app "$@" shop; }
pgb -i -s 1 -q 2>&1 | tail -2
# -S reads go to pg0's replica: wait until it has replayed the load (shardgate does not
# track replica lag yet)
for _ in $(seq 100); do
    n=$(psql -X -h 127.0.0.1 -p 15433 -U app -At -c "select count(*) from pgbench_accounts" shop \
        2>/dev/null || true)
    [ "$n" = 100000 ] && break
    sleep 0.1
done
for mode in simple extended prepared; do
    out=$(pgb -n -S -c 4 -j 2 -T 2 -M "$mode" 2>&1) || { echo "$out"; exit 1; }
    echo "$out" | grep -E 'failed|tps' | sed "s/^/-S $mode: /"
    echo "$out" | grep -q 'number of failed transactions: 0' || { echo "$out"; exit 1; }
    out=$(pgb -n -c 4 -j 2 -T 2 -M "$mode" 2>&1) || { echo "$out"; exit 1; }
    echo "$out" | grep -E 'failed|tps' | sed "s/^/tpcb $mode: /"
    echo "$out" | grep -q 'number of failed transactions: 0' || { echo "$out"; exit 1; }
done
out=$(pgbench -h 127.0.0.1 -p "$port" -U bulk -n -S -c 1000 -j 2 -T 3 shop 2>&1) ||
    { echo "$out"; exit 1; }
echo "$out" | grep -E 'processed|failed|tps' | sed "s/^/1000 clients: /"
echo "$out" | grep -q 'number of failed transactions: 0 (0.000%)' || { echo "$out"; exit 1; }
# the tables live on the default shard (pg0), not on pg1
test "$(psql -X -h 127.0.0.1 -p 15432 -U app -At -c "select count(*) from pgbench_branches" shop)" = 1
test "$(psql -X -h 127.0.0.1 -p 15434 -U app -At -c "select count(*) from pg_tables where tablename = 'pgbench_branches'" shop)" = 0
kill -TERM "$pid"
wait "$pid"
trap - EXIT
rm -rf "$dir"
echo "pgbench through shardgate: ok"
