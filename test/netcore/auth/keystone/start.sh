#!/usr/bin/env bash
# Copied from the team's ../shared/keystone/ (README there: what it does, its pitfalls) so that CI runs it from the checkout.
# Start a throw-away OpenStack Keystone (Debian python3-keystone, Zed) on
# 127.0.0.1 with SQLite, fernet tokens and uWSGI. No Apache, no systemd.
#
# Idempotent: a second run against the same RUN_DIR reuses the database and
# keys, and if the server is already up it only prints the exports again.
#
#   eval "$(./start.sh)"        # progress goes to stderr, exports to stdout
#
# Environment (all optional):
#   RUN_DIR   state directory                 (default /tmp/keystone-local)
#   PORT      listen port on 127.0.0.1        (default 35357, else a free one)
#   KEYSTONE_PROCESSES / KEYSTONE_THREADS     uWSGI workers (default 1 x 8)
#   KEYSTONE_CACHE=on|off     in-process cache (default: on for 1 process)
#   KEYSTONE_SERVER=wsgiref   use pbr's single-threaded keystone-wsgi-public
#   KEYSTONE_HASH_ROUNDS      bcrypt rounds for new passwords (default 4)
#   NETWORK_URL               catalog URL of the network service
#                             (default http://127.0.0.1:9696)
#   KEYSTONE_ADMIN_PASSWORD, KEYSTONE_DEMO_PASSWORD, KEYSTONE_VIEWER_PASSWORD,
#   KEYSTONE_SERVICE_PASSWORD                 passwords of the users created
set -euo pipefail

RUN_DIR=${RUN_DIR:-/tmp/keystone-local}
HOST=127.0.0.1
REGION=RegionOne
PY=/usr/bin/python3                # Debian's python: sees dist-packages
PROCESSES=${KEYSTONE_PROCESSES:-1}
THREADS=${KEYSTONE_THREADS:-8}
# Without a cache Keystone runs ~400 SQL queries per authenticated request
# (~0.5 s). The in-memory cache is per process, so it is only consistent
# (role changes seen at once) with a single worker process.
if [ "$PROCESSES" = 1 ]; then CACHE=${KEYSTONE_CACHE:-on}; else CACHE=${KEYSTONE_CACHE:-off}; fi
[ "$CACHE" = on ] && CACHE_ENABLED=true || CACHE_ENABLED=false
SERVER=${KEYSTONE_SERVER:-uwsgi}
HASH_ROUNDS=${KEYSTONE_HASH_ROUNDS:-4}
NETWORK_URL=${NETWORK_URL:-http://127.0.0.1:9696}
ADMIN_PASSWORD=${KEYSTONE_ADMIN_PASSWORD:-admin-secret}
DEMO_PASSWORD=${KEYSTONE_DEMO_PASSWORD:-demo-secret}
VIEWER_PASSWORD=${KEYSTONE_VIEWER_PASSWORD:-viewer-secret}
SERVICE_PASSWORD=${KEYSTONE_SERVICE_PASSWORD:-service-secret}
PKGS="python3-keystone uwsgi-core uwsgi-plugin-python3 python3-openstackclient python3-openstacksdk curl"

# Keep a caller's virtualenv / pyenv settings away from Debian's python.
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
export PYTHONNOUSERSITE=1

T_START=$(date +%s%N)
CREATED_POLICY=""; SERVER_PID=""
# On failure, undo what this run started: the temporary policy-rc.d and a
# server that never became ready.
on_exit() {
    local rc=$?
    [ -n "$CREATED_POLICY" ] && rm -f /usr/sbin/policy-rc.d
    if [ "$rc" != 0 ] && [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        rm -f "$RUN_DIR/keystone.pid"
    fi
}
trap on_exit EXIT
elapsed() { local ms=$(( ($(date +%s%N) - T_START) / 1000000 )); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
log() { echo "[keystone +$(elapsed)s] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# True when PID is a live (non-zombie) process of ours.
pid_alive() {
    local pid=$1 stat
    stat=$(ps -o stat= -p "$pid" 2>/dev/null | tr -d ' ') || return 1
    [ -n "$stat" ] && [ "${stat:0:1}" != Z ]
}
# True when something on 127.0.0.1:$1 answers like Keystone v3.
answers() { curl -fsS -m 2 -o /dev/null "http://$HOST:$1/v3" 2>/dev/null; }
# True when 127.0.0.1:$1 can be bound (SO_REUSEADDR, like uWSGI does).
port_free() {
    "$PY" - "$1" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
EOF
}

print_exports() {
    local url="http://$HOST:$1/v3"
    cat <<EOF
export OS_AUTH_URL=$url
export OS_IDENTITY_API_VERSION=3
export OS_REGION_NAME=$REGION
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_USERNAME=admin
export OS_PASSWORD=$ADMIN_PASSWORD
export OS_PROJECT_NAME=admin
export KEYSTONE_URL=http://$HOST:$1
export KEYSTONE_RUN_DIR=$RUN_DIR
export KEYSTONE_PID=$(cat "$RUN_DIR/keystone.pid")
export KEYSTONE_ADMIN_USER=admin KEYSTONE_ADMIN_PASSWORD=$ADMIN_PASSWORD KEYSTONE_ADMIN_PROJECT=admin
export KEYSTONE_DEMO_USER=demo KEYSTONE_DEMO_PASSWORD=$DEMO_PASSWORD KEYSTONE_DEMO_PROJECT=demo
export KEYSTONE_VIEWER_USER=viewer KEYSTONE_VIEWER_PASSWORD=$VIEWER_PASSWORD KEYSTONE_VIEWER_PROJECT=viewer
export KEYSTONE_SERVICE_USER=network KEYSTONE_SERVICE_PASSWORD=$SERVICE_PASSWORD KEYSTONE_SERVICE_PROJECT=service
export KEYSTONE_NETWORK_URL=$NETWORK_URL
EOF
}

mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)    # absolute: it goes into sqlite:////...

# --- 0. Already running? Then just print the exports. -----------------------
if [ -f "$RUN_DIR/keystone.pid" ] && [ -f "$RUN_DIR/port" ]; then
    old_pid=$(cat "$RUN_DIR/keystone.pid"); old_port=$(cat "$RUN_DIR/port")
    if pid_alive "$old_pid" && answers "$old_port"; then
        if [ -n "${PORT:-}" ] && [ "$PORT" != "$old_port" ]; then
            die "already running on port $old_port (pid $old_pid); run stop.sh first to change PORT"
        fi
        log "already running: pid $old_pid, http://$HOST:$old_port/v3"
        print_exports "$old_port"
        exit 0
    fi
    rm -f "$RUN_DIR/keystone.pid"
fi

# --- 1. Packages -----------------------------------------------------------
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || die "missing packages:$missing (run as root or install them)"
    log "installing:$missing"
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        # Stop postinst scripts from starting services; removed below.
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        CREATED_POLICY=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing >&2
    if [ -n "$CREATED_POLICY" ]; then rm -f /usr/sbin/policy-rc.d; CREATED_POLICY=""; fi
fi

# --- 2. Port ---------------------------------------------------------------
if [ -z "${PORT:-}" ]; then
    for cand in "$(cat "$RUN_DIR/port" 2>/dev/null || true)" 35357; do
        if [ -n "$cand" ] && port_free "$cand"; then PORT=$cand; break; fi
    done
    if [ -z "${PORT:-}" ]; then
        PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    fi
fi
port_free "$PORT" || die "port $PORT on $HOST is in use"
AUTH_URL="http://$HOST:$PORT/v3"

# --- 3. Config (rewritten on every start) ------------------------------------
mkdir -p "$RUN_DIR/policy.d"
[ -f "$RUN_DIR/policy.yaml" ] || echo '{}' > "$RUN_DIR/policy.yaml"
cat > "$RUN_DIR/keystone.conf" <<EOF
# Generated by start.sh; edits are overwritten.
[DEFAULT]
log_file = $RUN_DIR/keystone.log
debug = false

[database]
connection = sqlite:///$RUN_DIR/keystone.sqlite
# Throw-away data: skip fsync.
sqlite_synchronous = false

[token]
provider = fernet
expiration = 3600

[fernet_tokens]
key_repository = $RUN_DIR/fernet-keys

[fernet_receipts]
key_repository = $RUN_DIR/fernet-keys

[credential]
key_repository = $RUN_DIR/credential-keys

[identity]
# Low bcrypt cost: test speed over security (default 12 costs ~0.25 s/login).
password_hash_rounds = $HASH_ROUNDS

[cache]
# In-process cache; stale across several uWSGI processes, hence the default.
enabled = $CACHE_ENABLED
backend = oslo_cache.dict
expiration_time = 600

[oslo_policy]
# Keystone's in-code defaults; RUN_DIR/policy.d is for overrides and keeps
# /etc/keystone/policy.d (from the 'keystone' package) out of the way.
policy_file = $RUN_DIR/policy.yaml
policy_dirs = $RUN_DIR/policy.d
EOF
KM=(keystone-manage --config-file "$RUN_DIR/keystone.conf")
ME_U=$(id -un); ME_G=$(id -gn)

# --- 4. Database, keys, bootstrap (skipped when already done) ---------------
# keystone-manage prints a harmless eventlet "Exception ignored" at exit,
# so its output goes to setup.log and is shown only on failure.
run_km() {
    if ! "${KM[@]}" "$@" >> "$RUN_DIR/setup.log" 2>&1; then
        tail -n 30 "$RUN_DIR/setup.log" >&2; die "keystone-manage $1 failed (see $RUN_DIR/setup.log)"
    fi
}
if [ ! -f "$RUN_DIR/.db_synced" ]; then
    log "db_sync + fernet/credential keys"
    # Key setup does not touch the database: run it alongside db_sync.
    [ -f "$RUN_DIR/fernet-keys/0" ] || (run_km fernet_setup --keystone-user "$ME_U" --keystone-group "$ME_G") & p1=$!
    [ -f "$RUN_DIR/credential-keys/0" ] || (run_km credential_setup --keystone-user "$ME_U" --keystone-group "$ME_G") & p2=$!
    run_km db_sync
    wait $p1 || die "fernet_setup failed"; wait $p2 || die "credential_setup failed"
    # WAL: Keystone Zed leaks a read transaction per token render
    # (federation get_enabled_service_providers returns a lazy query) which,
    # in SQLite's default rollback journal, blocks every write until the
    # garbage collector runs ("database is locked"). In WAL mode readers
    # never block writers.
    "$PY" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode=WAL').fetchone()[0])" \
        "$RUN_DIR/keystone.sqlite" | grep -qx wal || die "could not switch SQLite to WAL"
    touch "$RUN_DIR/.db_synced"
fi
# Bootstrap (admin user/project/role, member+reader roles, identity service
# and endpoints) runs in the background while the server loads (~4 s each):
# the server reads nothing from the database until the first real request.
# Re-run when the port (endpoint URLs) or the admin password changes.
PB=""
BOOT_SIG=$(printf '%s %s' "$PORT" "$ADMIN_PASSWORD" | sha256sum | cut -c1-16)
if [ "$(cat "$RUN_DIR/.bootstrapped" 2>/dev/null || true)" != "$BOOT_SIG" ]; then
    log "bootstrap admin, region $REGION, identity endpoint $AUTH_URL/"
    (run_km bootstrap --bootstrap-password "$ADMIN_PASSWORD" \
        --bootstrap-username admin --bootstrap-project-name admin \
        --bootstrap-role-name admin --bootstrap-service-name keystone \
        --bootstrap-region-id "$REGION" \
        --bootstrap-admin-url "$AUTH_URL/" \
        --bootstrap-internal-url "$AUTH_URL/" \
        --bootstrap-public-url "$AUTH_URL/") & PB=$!
fi

# --- 5. Server ---------------------------------------------------------------
export OS_KEYSTONE_CONFIG_DIR="$RUN_DIR" OS_KEYSTONE_CONFIG_FILES=keystone.conf
cd "$RUN_DIR"
if [ "$SERVER" = wsgiref ]; then
    # pbr's wsgiref server: one request at a time, fine for a single client.
    nohup "$PY" /usr/bin/keystone-wsgi-public --host "$HOST" --port "$PORT" \
        >> "$RUN_DIR/server.log" 2>&1 < /dev/null &
else
    # --lazy-apps: each worker opens its own DB connections (no fork sharing).
    # --skip-atexit-teardown: avoids a greenlet segfault at worker exit.
    # "Connection: close": --http-socket closes every connection after one
    # response; without the header clients (requests/keystoneauth) reuse it
    # and randomly fail with "Remote end closed connection without response".
    nohup /usr/bin/uwsgi --plugins python3 \
        --http-socket "$HOST:$PORT" \
        --wsgi-file /usr/bin/keystone-wsgi-public \
        --master --processes "$PROCESSES" --threads "$THREADS" --enable-threads \
        --lazy-apps --need-app --die-on-term --no-orphans --thunder-lock \
        --skip-atexit-teardown --worker-reload-mercy 5 --reload-mercy 5 \
        --buffer-size 65535 --add-header "Connection: close" \
        >> "$RUN_DIR/server.log" 2>&1 < /dev/null &
fi
SERVER_PID=$!
echo "$SERVER_PID" > "$RUN_DIR/keystone.pid"
echo "$PORT" > "$RUN_DIR/port"
[ "$SERVER" = wsgiref ] && shape="wsgiref" || shape="uwsgi ${PROCESSES}x$THREADS"
log "server pid $SERVER_PID ($shape, cache $CACHE), waiting for $AUTH_URL"
if [ -n "$PB" ]; then
    wait "$PB" || die "bootstrap failed"
    echo "$BOOT_SIG" > "$RUN_DIR/.bootstrapped"
fi
for _ in $(seq 1 600); do
    answers "$PORT" && break
    pid_alive "$SERVER_PID" || { tail -n 30 "$RUN_DIR/server.log" >&2; die "server exited (see $RUN_DIR/server.log)"; }
    sleep 0.1
done
answers "$PORT" || { tail -n 30 "$RUN_DIR/server.log" >&2; die "no answer after 60 s"; }

# --- 6. Demo projects, users, roles and the network service (idempotent) ----
log "projects/users/roles + network service (openstacksdk)"
OS_AUTH_URL="$AUTH_URL" ADMIN_PASSWORD="$ADMIN_PASSWORD" DEMO_PASSWORD="$DEMO_PASSWORD" \
VIEWER_PASSWORD="$VIEWER_PASSWORD" SERVICE_PASSWORD="$SERVICE_PASSWORD" \
NETWORK_URL="$NETWORK_URL" REGION="$REGION" "$PY" - <<'EOF' >&2 || die "demo setup failed"
import os
import openstack
from keystoneauth1 import exceptions as ksa_exc
from keystoneauth1 import session as ksa_session
from keystoneauth1.identity import v3

e = os.environ
conn = openstack.connect(
    auth_url=e["OS_AUTH_URL"], username="admin", password=e["ADMIN_PASSWORD"],
    project_name="admin", user_domain_name="Default",
    project_domain_name="Default", region_name=e["REGION"], load_yaml_config=False,
    load_envvars=False)
idn = conn.identity

def role(name):
    return idn.find_role(name) or idn.create_role(name=name)

def project(name, desc):
    return (idn.find_project(name, domain_id="default")
            or idn.create_project(name=name, domain_id="default", description=desc))

def password_ok(name, password):
    auth = v3.Password(auth_url=e["OS_AUTH_URL"], username=name, password=password,
                       user_domain_name="Default")
    try:
        auth.get_auth_ref(ksa_session.Session())
        return True
    except ksa_exc.Unauthorized:
        return False

def user(name, password, proj, role_name):
    u = idn.find_user(name, domain_id="default")
    if u is None:
        u = idn.create_user(name=name, password=password, domain_id="default",
                            default_project_id=proj.id)
    elif not password_ok(name, password):
        # Only on a real change: a password update revokes the user's tokens.
        u = idn.update_user(u, password=password, enabled=True)
    idn.assign_project_role_to_user(proj, u, role(role_name))
    return u

user("demo", e["DEMO_PASSWORD"], project("demo", "member-role demo project"), "member")
user("viewer", e["VIEWER_PASSWORD"], project("viewer", "reader-role demo project"), "reader")
# A service user, as a Neutron-like service would use to validate user tokens.
user("network", e["SERVICE_PASSWORD"], project("service", "service users"), "service")

svc = idn.find_service("neutron") or idn.create_service(
    name="neutron", type="network", description="Network service (nothing listens)")
eps = list(idn.endpoints(service_id=svc.id, interface="public"))
if not eps:
    idn.create_endpoint(service_id=svc.id, interface="public",
                        url=e["NETWORK_URL"], region_id=e["REGION"])
elif eps[0].url != e["NETWORK_URL"]:
    idn.update_endpoint(eps[0], url=e["NETWORK_URL"])

# Each user gets a token; a fresh token's catalog must list the network service.
for name, pw, proj in (("admin", e["ADMIN_PASSWORD"], "admin"),
                       ("demo", e["DEMO_PASSWORD"], "demo"),
                       ("viewer", e["VIEWER_PASSWORD"], "viewer"),
                       ("network", e["SERVICE_PASSWORD"], "service")):
    c = openstack.connect(
        auth_url=e["OS_AUTH_URL"], username=name, password=pw, project_name=proj,
        user_domain_name="Default", project_domain_name="Default",
        region_name=e["REGION"], load_yaml_config=False, load_envvars=False)
    c.authorize()
    url = c.endpoint_for("network")
    assert url and url.rstrip("/") == e["NETWORK_URL"].rstrip("/"), (name, url)
print("[keystone] tokens OK for admin, demo, viewer, network; network endpoint", url)
EOF

log "ready in $(elapsed) s: $AUTH_URL (pid $SERVER_PID, logs in $RUN_DIR)"
print_exports "$PORT"
