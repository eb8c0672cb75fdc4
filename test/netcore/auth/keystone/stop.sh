#!/usr/bin/env bash
# Copied from the team's ../shared/keystone/ (README there: what it does, its pitfalls) so that CI runs it from the checkout.
# Stop the Keystone started by start.sh, using RUN_DIR/keystone.pid only.
# Keeps RUN_DIR (database, keys, logs); `rm -rf "$RUN_DIR"` for a clean slate.
set -euo pipefail

RUN_DIR=${RUN_DIR:-/tmp/keystone-local}
PID_FILE="$RUN_DIR/keystone.pid"
log() { echo "[keystone] $*" >&2; }

# Live (non-zombie) process?
pid_alive() {
    local stat
    stat=$(ps -o stat= -p "$1" 2>/dev/null | tr -d ' ') || return 1
    [ -n "$stat" ] && [ "${stat:0:1}" != Z ]
}

if [ ! -f "$PID_FILE" ]; then log "not running (no $PID_FILE)"; exit 0; fi
pid=$(cat "$PID_FILE")
case "$pid" in ''|*[!0-9]*) log "bad pid file $PID_FILE"; rm -f "$PID_FILE"; exit 1;; esac
if ! pid_alive "$pid"; then log "pid $pid already gone"; rm -f "$PID_FILE"; exit 0; fi

# Guard against a recycled PID: it must be our uwsgi or keystone-wsgi-public.
args=$(ps -o args= -p "$pid" || true)
case "$args" in
    *uwsgi*keystone-wsgi-public*|*keystone-wsgi-public*) ;;
    *) log "pid $pid is not Keystone ($args); leaving it alone"; rm -f "$PID_FILE"; exit 1;;
esac

# uWSGI workers are the master's children; remember them in case one lingers.
workers=$(ps -o pid= --ppid "$pid" 2>/dev/null | tr -s ' \n' ' ' || true)

kill -TERM "$pid"                      # --die-on-term: graceful shutdown
for _ in $(seq 1 100); do pid_alive "$pid" || break; sleep 0.1; done
if pid_alive "$pid"; then log "pid $pid ignored SIGTERM for 10 s, sending SIGKILL"; kill -KILL "$pid" || true; fi
for w in $workers; do
    if pid_alive "$w" && ps -o args= -p "$w" | grep -q keystone-wsgi-public; then
        kill -KILL "$w" 2>/dev/null || true
    fi
done
rm -f "$PID_FILE"
log "stopped pid $pid"
