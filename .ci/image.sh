#!/usr/bin/env bash
# The image in CI: lint the Dockerfile, build it with buildah on a Debian bookworm base made by debootstrap (standing in
# for the registry's node:22-bookworm-slim, same release; Node 22 then comes from the lockfile), run the chart's
# migration command in it, start the server inside it against CI's Postgres (a database of its own) and Redis, and
# from the host check /ready, a guest sign-in and a WebSocket join; run the image's HEALTHCHECK; SIGTERM and expect a
# clean exit; then the ledger audit, as the chart's CronJob runs it. The base image and buildah's layers are kept, so
# a rerun rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

BASE_IMAGE=localhost/tablestakes-ci-base:bookworm
IMAGE=localhost/tablestakes:ci
POSTGRES_URL=${IMAGE_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}
READY_TIMEOUT_S=90
STOP_TIMEOUT_S=60
started=$(date +%s)
step() { echo "== $* (+$(( $(date +%s) - started )) s)"; }

step "lint the Dockerfile"
dockerfilelint Dockerfile

if ! buildah inspect --type image "$BASE_IMAGE" >/dev/null 2>&1; then
  step "make the base image with debootstrap"
  mirror=$(awk '/^URIs:/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  work=$(mktemp -d)
  debootstrap --variant=minbase bookworm "$work/rootfs" "${mirror:-http://deb.debian.org/debian}" >"$work/debootstrap.log"
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  # CAs this machine adds to Debian's (a TLS-inspecting egress proxy, for one), so the build can reach the registry.
  mkdir -p "$work/rootfs/usr/local/share/ca-certificates"
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$work/rootfs/usr/local/share/ca-certificates/"
  fi
  tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
  container=$(buildah from scratch)
  buildah add "$container" "$work/rootfs.tar" / >/dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt --cmd /bin/bash "$container"
  buildah commit -q "$container" "$BASE_IMAGE" >/dev/null
  buildah rm "$container" >/dev/null
  rm -rf "$work"
fi

step "build the image"
# docker format keeps HEALTHCHECK and SHELL, which the OCI image format has no place for.
build_log=$(mktemp)
buildah bud --isolation chroot --layers --pull=never --format docker \
  --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$IMAGE" . >"$build_log" 2>&1 || { tail -n 60 "$build_log" >&2; exit 1; }
echo "$(grep -c -- '--> Using cache' "$build_log" || true) steps from the layer cache"
rm -f "$build_log"
echo "image $IMAGE: $(buildah images --format '{{.Size}}' "$IMAGE")"

container=$(buildah from --pull=never "$IMAGE")
server_pid=""
jwt_secret=$(head -c 32 /dev/urandom | base64)
# A database of its own, so the audit at the end judges only what this run did.
database="ts_image_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
DATABASE_URL="$POSTGRES_URL/$database"
log=$(mktemp)
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  buildah rm "$container" >/dev/null 2>&1 || true
  psql "$POSTGRES_URL/postgres" -qc "drop database if exists $database" >/dev/null 2>&1 || true
  rm -f "$log"
}
trap cleanup EXIT
in_image() { buildah run --isolation chroot --network host "$container" -- "$@"; }

step "inspect the image"
uid=$(in_image id -u)
[ "$uid" != 0 ] || { echo "the image runs as root" >&2; exit 1; }
node_version=$(in_image node --version)
nodes=$(in_image sh -c 'IFS=:; for d in $PATH; do [ -x "$d/node" ] && readlink -f "$d/node"; done | sort -u')
[ "$(echo "$nodes" | wc -l)" = 1 ] || { echo "more than one Node in the image: $nodes" >&2; exit 1; }
in_image sh -c 'test -x /usr/bin/tini && ls /usr/lib/x86_64-linux-gnu/libvulkan.so.1 >/dev/null'
echo "runs as uid $uid, one Node ($node_version at $nodes), tini and the Vulkan loader present"

step "migrate as the chart's hook does"
psql "$POSTGRES_URL/postgres" -qc "create database $database"
in_image env DATABASE_URL="$DATABASE_URL" JWT_SECRET="$jwt_secret" HOME=/tmp npm run --silent migrate

step "start the server inside the image"
port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
buildah run --isolation chroot --network host \
  --env PORT="$port" --env PUBLIC_ADDRESS="127.0.0.1:$port" --env REGION=ci \
  --env DATABASE_URL="$DATABASE_URL" --env REDIS_URL="$REDIS_URL" \
  --env JWT_SECRET="$jwt_secret" \
  --env MONITOR_USER=ci --env MONITOR_PASSWORD="$(head -c 16 /dev/urandom | base64)" \
  --env SHUTDOWN_DEADLINE_MS=5000 --env LOG_LEVEL=info --env TINI_SUBREAPER=1 \
  "$container" -- /usr/bin/tini -- node src/main.ts >"$log" 2>&1 &
server_pid=$!
deadline=$(( $(date +%s) + READY_TIMEOUT_S ))
until curl -fs "http://127.0.0.1:$port/ready" >/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null || [ "$(date +%s)" -gt "$deadline" ]; then
    echo "the server in the image did not become ready:" >&2; cat "$log" >&2; exit 1
  fi
  sleep 1
done
grep -o '"backend":"[a-z]*"' "$log" | head -n 1 | sed 's/^/physics /'

step "play against it from the host"
node test/deploy/image-smoke.ts "http://127.0.0.1:$port"
# The image's own HEALTHCHECK command, run as the container runtime would.
mapfile -t healthcheck_cmd < <(buildah inspect --type image "$IMAGE" | node -e '
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
    const [kind, ...command] = JSON.parse(JSON.parse(text).Config).config.Healthcheck.Test;
    if (kind !== "CMD") throw new Error(`HEALTHCHECK is ${kind}, expected CMD`);
    for (const arg of command) console.log(arg);
  });')
buildah run --isolation chroot --network host --env PORT="$port" "$container" -- "${healthcheck_cmd[@]}"
echo "HEALTHCHECK passes"

step "SIGTERM"
# buildah run kills its command on SIGTERM instead of passing it on; chroot isolation has no PID namespace, so send
# it to the image's tini, as the container runtime would to PID 1, and tini hands it to node.
descendants() { local child; for child in $(pgrep -P "$1" || true); do echo "$child"; descendants "$child"; done; }
tini_pid=""
for pid in $(descendants "$server_pid"); do
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = tini ]; then tini_pid=$pid; break; fi
done
[ -n "$tini_pid" ] || { echo "cannot find the image's tini under buildah run" >&2; exit 1; }
kill -TERM "$tini_pid"
signalled=$(date +%s)
deadline=$(( $(date +%s) + STOP_TIMEOUT_S ))
while kill -0 "$server_pid" 2>/dev/null; do
  [ "$(date +%s)" -le "$deadline" ] || { echo "the server did not stop after SIGTERM:" >&2; cat "$log" >&2; exit 1; }
  sleep 1
done
status=0
wait "$server_pid" || status=$?
server_pid=""
grep -q "shutdown complete" "$log" && [ "$status" = 0 ] || { echo "exit $status after SIGTERM:" >&2; cat "$log" >&2; exit 1; }
echo "drained and exited 0 in $(( $(date +%s) - signalled )) s"
step "audit the ledger as the chart's CronJob does"
audit=$(in_image env DATABASE_URL="$DATABASE_URL" JWT_SECRET="$jwt_secret" HOME=/tmp npm run --silent audit) || { echo "$audit" >&2; exit 1; }
echo "$audit" | head -n 1
step "image checks passed"
