#!/bin/bash
# make demo: what flightrec can show today, one step at a time.
# (The full incident story: a flight recorder, a failing request, its root
# cause and a replay, replaces this as those parts land.)
set -euo pipefail
cd "$(dirname "$0")/.."
FLIGHTREC=${FLIGHTREC:-build/flightrec}
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. A bundle: what a recording holds (inspect a built-in example bundle)"
"$FLIGHTREC" inspect tests/fixtures/basic.frb

step "2. Its events, one per line, like strace -f -tt and perf script"
"$FLIGHTREC" events tests/fixtures/basic.frb

step "3. Only what process 102 did, as JSON lines"
"$FLIGHTREC" events --pid 102 --type syscall,exit --json tests/fixtures/basic.frb

if "$FLIGHTREC" record --help >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	step "4. Record a real command with eBPF: /bin/echo hello"
	out=$(mktemp -d)
	"$FLIGHTREC" record -o "$out/echo.frb" -- /bin/echo hello
	"$FLIGHTREC" events --type exec,syscall,exit "$out/echo.frb" | grep -E 'exec|write|exit' | head -10
	rm -rf "$out"
fi
