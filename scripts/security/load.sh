#!/usr/bin/env bash
# Bounded load test on loopback: 50 users against gunicorn (two workers) with the demo data set
# on PostgreSQL (its own database, instroom_load, made afresh). The users arrive 5 a second and
# each signs in through the login form, then browses the pages of their role; the figures
# measure the 60 s after the last user signed in (sign-ins are reported apart: a password check
# costs about 0.3 s of CPU by design). Fails on any error, including a failed sign-in or a
# server error (5xx, a traceback in the server log); prints the figures and whether the p99
# target (under 1 s) was met. Speed is judged by that printed figure, never by CI's verdict: on
# a shared, busy machine the p99 says more about the neighbours than about Instroom.
#   LOAD_PG (postgres://postgres@127.0.0.1:5432), LOAD_USERS (50), LOAD_SECONDS (60),
#   LOAD_SPAWN_RATE (5 users/s), LOAD_PORT (8766)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.venv/bin
PG="${LOAD_PG:-postgres://postgres@127.0.0.1:5432}"
DB=instroom_load
PORT="${LOAD_PORT:-8766}"
USERS="${LOAD_USERS:-50}"
RUN_SECONDS="${LOAD_SECONDS:-60}"
SPAWN_RATE="${LOAD_SPAWN_RATE:-5}"
work="$(mktemp -d)"
# The dev settings (a generated secret, static files from the finders) with debugging off and
# persistent database connections, as in production; plain HTTP on loopback only.
export DJANGO_SETTINGS_MODULE=instroom.conf.dev DJANGO_DEBUG=0 INSTROOM_DATA_DIR="$work"
export DATABASE_URL="$PG/$DB" DATABASE_CONN_MAX_AGE=60 DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_LOG_LEVEL=WARNING

psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
echo "== demo data on PostgreSQL ($DB)"
$BIN/instroom demo --no-serve >"$work/demo.log"
echo "== gunicorn, 2 workers, 127.0.0.1:$PORT"
$BIN/gunicorn instroom.conf.wsgi --workers 2 --bind "127.0.0.1:$PORT" --log-level warning \
  >"$work/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 30); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
  sleep 1
done
ramp=$(( (USERS + SPAWN_RATE - 1) / SPAWN_RATE ))
echo "== locust: $USERS users signing in ($SPAWN_RATE/s), then ${RUN_SECONDS} s of browsing"
LOAD_REQUESTS="$work/requests.json" $BIN/locust -f scripts/security/locustfile.py --headless \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$((ramp + 15 + RUN_SECONDS))s" \
  --host "http://127.0.0.1:$PORT" --only-summary --loglevel WARNING >"$work/locust.log" 2>&1 || true
$BIN/python - "$work" "$USERS" "$RUN_SECONDS" <<'PY'
import json
import sys
from collections import Counter
from pathlib import Path

work, users, seconds = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
requests = json.loads((work / "requests.json").read_text())  # [name, start, ms, failed]


def pct(values: list[float], p: float) -> int:
    values = sorted(values)
    return int(values[min(len(values) - 1, int(len(values) * p))]) if values else 0


signins = [r for r in requests if r[0] == "sign in"]
everyone_in = max((r[1] + r[2] / 1000 for r in signins), default=0)
# The measured window: the first RUN_SECONDS after the last user signed in.
window = [
    r for r in requests
    if r[0] not in ("sign in", "login page") and everyone_in <= r[1] < everyone_in + seconds
]
times = [r[2] for r in window]
failures = [r for r in requests if r[3]]
for name, n in sorted(Counter(r[0] for r in window).items(), key=lambda kv: -kv[1])[:10]:
    own = [r[2] for r in window if r[0] == name]
    print(f"  {name:32} n={n:>5}  p50 {pct(own, .5):>4} ms  p99 {pct(own, .99):>5} ms")
print(
    f"load: {len(window)} page requests in {seconds} s by {users} signed-in users"
    f" ({len(window) / seconds:.1f}/s), {sum(r[3] for r in window)} errors;"
    f" p50 {pct(times, .5)} ms, p95 {pct(times, .95)} ms, p99 {pct(times, .99)} ms,"
    f" max {pct(times, 1)} ms"
)
print(
    f"sign-in: {len(signins)} users signed in through the form, {sum(r[3] for r in signins)}"
    f" failed; median {pct([r[2] for r in signins], .5)} ms,"
    f" p99 {pct([r[2] for r in signins], .99)} ms (a password check is slow by design)"
)
failed = bool(failures) or len(signins) < users or not window
if failures:
    print(f"{len(failures)} failed requests, e.g.:", failures[:5])
    print((work / "locust.log").read_text()[-3000:])
log = (work / "gunicorn.log").read_text().strip()
if log:
    print("gunicorn log:\n" + log[-3000:])
    failed = failed or "Traceback" in log
p99 = pct(times, 0.99)
print(f"p99 target (< 1000 ms): {'met' if p99 < 1000 else 'NOT met'} ({p99} ms; speed, not a verdict)")
if failed:
    print("load test FAILED: errors, a failed sign-in or a server error")
    sys.exit(1)
print("load test passed: no errors, no failed sign-in, no server error")
PY
