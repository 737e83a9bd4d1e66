# chat-gateway: one process, four chat dialects, admin HTTP on 8080.
# Build: docker build -t chat-gateway .   Run: docker compose up
FROM node:20-slim

WORKDIR /app

# Manifests first, so the dependency layer is rebuilt only when they change.
# npm ci needs every workspace's package.json to link the workspaces.
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/ws2017/package.json packages/ws2017/
COPY packages/psu/package.json packages/psu/
COPY packages/sup/package.json packages/sup/
COPY packages/chatmaster/package.json packages/chatmaster/
COPY packages/redis/package.json packages/redis/
COPY packages/gateway/package.json packages/gateway/
COPY packages/testkit/package.json packages/testkit/
# Dev dependencies included: the gateway runs its TypeScript through tsx.
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .

USER node
# WS_2017, PSU, Sup, ChatMaster 3000, admin HTTP (config/gateway.yaml).
EXPOSE 1030 23456 3000 9000 8080
# config/ can be replaced at run time: docker-compose.yml mounts ./config read-only.
# What `npm start` runs, but with node itself as PID 1: `docker stop` signals PID 1 only, and
# npm's `sh -c` (dash) dies on SIGTERM without passing it on, so the gateway would be killed
# without telling its clients goodbye. Node gets the signal and shuts down gracefully.
CMD ["node", "--import", "tsx", "packages/gateway/src/cli.ts", "serve"]
