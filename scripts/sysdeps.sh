#!/usr/bin/env bash
# The Debian packages `make run` and `make test` need, installed with apt when missing.
#
#   scripts/sysdeps.sh run    what `make run` needs: python3-venv, and node to build the JupyterLab front end
#   scripts/sysdeps.sh test   everything `make test` needs (the default): the above plus Chromium and
#                             fonts-liberation (browser tests), redis-server and postgresql (the Redis and
#                             Postgres store tests start real servers), docker-compose (validates
#                             server/compose.yaml; no Docker daemon is needed)
#
# A no-op in well under a second when everything is present. Otherwise it runs `apt-get update` and
# `apt-get install -y` (through sudo when not root), or, when it cannot, fails at once saying what to run.
set -euo pipefail

group=${1:-test}
case "$group" in
run | test) ;;
*)
    echo "usage: $0 [run|test]" >&2
    exit 2
    ;;
esac

need() { # need PACKAGE CHECK...: queue PACKAGE for install unless the check command succeeds
    local package=$1
    shift
    "$@" >/dev/null 2>&1 || missing+=("$package")
}
have() { command -v "$1"; }
have_initdb() { compgen -G '/usr/lib/postgresql/*/bin/initdb'; }
have_package() { dpkg-query -W -f='${Status}' "$1" | grep -q 'install ok installed'; }
have_venv() { "${PYTHON:-python3}" -c 'import ensurepip, venv'; }

check() {
    missing=()
    need python3-venv have_venv
    need nodejs have node
    need npm have npm
    if [ "$group" = test ]; then
        need chromium have chromium
        need fonts-liberation have_package fonts-liberation
        need redis-server have redis-server
        need postgresql have_initdb
        need docker-compose have docker-compose
    fi
}

check
[ ${#missing[@]} -eq 0 ] && exit 0

command_line="apt-get update && apt-get install -y ${missing[*]}"
fail() {
    echo "sysdeps: missing Debian packages: ${missing[*]}" >&2
    echo "sysdeps: $1; install them as root (e.g. sudo sh -c '...'), then run make again:" >&2
    echo "    $command_line" >&2
    exit 1
}

command -v apt-get >/dev/null || fail "this is not a Debian-like system (no apt-get)"
if [ "$(id -u)" = 0 ]; then
    sudo=()
elif ! command -v sudo >/dev/null; then
    fail "not root and sudo is not installed"
elif sudo -n true 2>/dev/null || [ -t 0 ]; then
    sudo=(sudo) # passwordless, or a terminal where sudo can ask for the password
else
    fail "not root, and sudo needs a password but there is no terminal to ask for it"
fi

echo "sysdeps: installing ${missing[*]}" >&2
# Through env, because sudo resets the environment; NEEDRESTART_SUSPEND keeps needrestart from prompting.
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get)
"${apt[@]}" update -qq || fail "apt-get update failed"
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install failed"

# Check again: a package that installed but did not provide what we look for is a failure too.
check
[ ${#missing[@]} -eq 0 ] || fail "apt-get installed them but they are still not usable"
echo "sysdeps: done" >&2
