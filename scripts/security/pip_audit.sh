#!/usr/bin/env bash
# Known vulnerabilities in the installed Python packages (pip-audit, PyPI's advisory data).
# Fails on any known vulnerability that docs/security.md has not accepted (PIP_AUDIT_ACCEPTED
# lists their ids). When the advisory data cannot be reached (no network, or a PyPI mirror
# without per-release data), it says so plainly and does not fail the build: that is "not
# audited", never "no vulnerabilities".
set -uo pipefail
cd "$(dirname "$0")/../.."
# Vulnerability ids accepted in docs/security.md, space-separated (none at present).
PIP_AUDIT_ACCEPTED="${PIP_AUDIT_ACCEPTED:-}"
ignore=()
for id in $PIP_AUDIT_ACCEPTED; do ignore+=(--ignore-vuln "$id"); done
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
timeout 300 .venv/bin/pip-audit --progress-spinner off --skip-editable --format json \
  "${ignore[@]}" >"$report" 2>"$report.err"
status=$?
.venv/bin/python - "$report" "$status" "$report.err" <<'PY'
import json
import sys

path, status, err = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    deps = json.load(open(path))["dependencies"]
except (OSError, ValueError, KeyError):
    tail = open(err).read().strip().splitlines()[-1:] or ["no output"]
    print(f"pip-audit: NOT AUDITED - the advisory service could not be reached ({tail[0]})")
    sys.exit(0)
audited = [d for d in deps if "skip_reason" not in d]
vulnerable = [d for d in audited if d.get("vulns")]
for d in vulnerable:
    for v in d["vulns"]:
        fixed = ", ".join(v.get("fix_versions", [])) or "no fix yet"
        print(f"  {d['name']} {d['version']}: {v['id']} (fixed in {fixed})")
skipped = len(deps) - len(audited)
if not audited:
    print(
        f"pip-audit: NOT AUDITED - no advisory data reachable for any of the {len(deps)} "
        "installed packages (PyPI's per-release data is unavailable from here); "
        "run `make security` where pypi.org is reachable (docs/security.md)"
    )
    sys.exit(0)
print(
    f"pip-audit: {len(audited)} packages audited, {len(vulnerable)} with known vulnerabilities"
    + (f"; {skipped} could not be audited (not on PyPI or not reachable)" if skipped else "")
)
sys.exit(1 if vulnerable or status not in (0, 1) else 0)
PY
result=$?
rm -f "$report.err"
exit $result
