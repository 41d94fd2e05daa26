#!/usr/bin/env bash
# The README's promise, checked: on a fresh clone, its test command does all the set-up and passes.
#
#   scripts/clean_clone_check.sh [--keep] [REV]     (default REV: HEAD; takes about ten minutes)
#
# Clones this repository at REV into a temporary directory (no venv, no node_modules, no build output: only what
# git tracks), then runs the README's test command there in a clean environment: a fresh HOME, the system PATH,
# and only the machine's package-index, proxy and TLS-trust settings passed through (PIP_*, npm_config_*, *_proxy,
# the CA bundle variables). Prints
# the log's tail and the elapsed time; exits with the test command's status. The clone is removed afterwards
# unless the command failed or --keep is given. Not part of `make test`: run it before resolving set-up issues.
set -euo pipefail

keep=0
if [[ "${1:-}" == "--keep" ]]; then keep=1; shift; fi
rev="${1:-HEAD}"
repo="$(cd "$(dirname "$0")/.." && pwd)"

# The README's test command: the `make test` line of its first code block.
command="$(awk '/^```sh$/ {inside=1; next} /^```$/ {if (inside) exit} inside && /^make test/ {print "make test"; exit}' "$repo/README.md")"
if [[ "$command" != "make test" ]]; then
  echo "clean_clone_check: README.md's first code block no longer has a 'make test' line; update this script" >&2
  exit 2
fi

work="$(mktemp -d -t inngest-lab-clean-clone-XXXXXX)"
git clone --quiet --no-local "$repo" "$work/repo"
git -C "$work/repo" checkout --quiet "$(git -C "$repo" rev-parse "$rev")"
mkdir -p "$work/home"

env_args=(HOME="$work/home" PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" LANG=C.UTF-8 TERM=dumb)
while IFS='=' read -r name value; do
  case "$name" in
    PIP_*|npm_config_*|http_proxy|https_proxy|no_proxy|HTTP_PROXY|HTTPS_PROXY|NO_PROXY) env_args+=("$name=$value") ;;
    # the machine's TLS trust (a proxy's own CA): without it node, pip and git cannot reach their registries
    NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|GIT_SSL_CAINFO) env_args+=("$name=$value") ;;
  esac
done < <(env)

echo "clean_clone_check: $(git -C "$work/repo" log -1 --format='%h %s' | cut -c1-100)"
echo "clean_clone_check: running '$command' in $work/repo (log: $work/make-test.log)"
start=$(date +%s)
set +e
(cd "$work/repo" && env -i "${env_args[@]}" $command) > "$work/make-test.log" 2>&1
status=$?
set -e
elapsed=$(( $(date +%s) - start ))
tail -n 40 "$work/make-test.log"
echo "clean_clone_check: '$command' exited $status after ${elapsed}s on a fresh clone"
if [[ $status -eq 0 && $keep -eq 0 ]]; then
  rm -rf "$work"
else
  echo "clean_clone_check: kept $work"
fi
exit $status
