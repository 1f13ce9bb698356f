#!/usr/bin/env bash
# Bounded load test on loopback: 50 users for 60 s against gunicorn (two workers) with the demo
# data set on PostgreSQL. Fails on any error or a p99 of 1 s or more; prints the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.venv/bin
PG="${LOAD_PG:-postgres://postgres@127.0.0.1:5432}"
DB=instroom_load
PORT="${LOAD_PORT:-8766}"
USERS="${LOAD_USERS:-50}"
SECONDS_="${LOAD_SECONDS:-60}"
work="$(mktemp -d)"
export DJANGO_SETTINGS_MODULE=instroom.conf.dev INSTROOM_DATA_DIR="$work" DATABASE_URL="$PG/$DB"
export DJANGO_ALLOWED_HOSTS=127.0.0.1

psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
echo "== demo data on PostgreSQL ($DB)"
$BIN/instroom demo --no-serve >/dev/null
echo "== sessions for the demo users (signing in is measured apart: one password check)"
$BIN/python - "$work/sessions.json" <<'PY'
import json, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
users = ["coordinator", "aanmelder", "aanmelder-ldh", "woonbegeleider", "tafellid",
         "corporatie", "gemeente"]
cookies = {}
for name in users:
    user = get_user_model().objects.get(username=name)
    start = time.perf_counter()
    assert user.check_password("demo-instroom"), name
    check = (time.perf_counter() - start) * 1000
    client = Client()
    client.force_login(user)
    cookies[name] = client.cookies["sessionid"].value
print(f"one password check (PBKDF2, by design slow): {check:.0f} ms")
json.dump(cookies, open(sys.argv[1], "w"))
PY
export LOAD_SESSIONS="$work/sessions.json"
echo "== gunicorn, 2 workers, 127.0.0.1:$PORT"
$BIN/gunicorn instroom.conf.wsgi --workers 2 --bind "127.0.0.1:$PORT" --log-level warning \
  >"$work/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 30); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 1; done
echo "== locust: $USERS users for ${SECONDS_} s"
$BIN/locust -f scripts/security/locustfile.py --headless --users "$USERS" --spawn-rate 10 \
  --run-time "${SECONDS_}s" --host "http://127.0.0.1:$PORT" --csv "$work/load" --only-summary \
  --loglevel WARNING >"$work/locust.log" 2>&1 || true
$BIN/python - "$work/load_stats.csv" <<'PY'
import csv, sys
rows = {r["Name"]: r for r in csv.DictReader(open(sys.argv[1]))}
total = rows["Aggregated"]
requests, failures = int(total["Request Count"]), int(total["Failure Count"])
p50, p95, p99 = (int(float(total[k])) for k in ("50%", "95%", "99%"))
rps = float(total["Requests/s"])
for name, r in sorted(rows.items(), key=lambda kv: -float(kv[1]["99%"] or 0))[:6]:
    if name != "Aggregated":
        print(f"  {name:40} n={r['Request Count']:>5} p50={r['50%']:>5} p99={r['99%']:>5} ms")
print(f"load: {requests} requests in 60 s by 50 users ({rps:.1f}/s), {failures} errors, "
      f"p50 {p50} ms, p95 {p95} ms, p99 {p99} ms")
if failures or p99 >= 1000 or requests == 0:
    print("load test FAILED: errors or p99 >= 1 s")
    sys.exit(1)
PY
