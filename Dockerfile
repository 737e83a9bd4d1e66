# chat-gateway: one process, every installed dialect, admin HTTP on 8080.
# Build: docker build -t chat-gateway .   Run: docker compose up

# The workspace manifests alone, so that the npm ci layer below is rebuilt only when one of them
# changes, and a new package under packages/ needs no line here. COPY flattens globs
# (packages/*/package.json would all land in one folder), so this stage takes the whole tree and
# deletes everything in each package but its package.json.
FROM node:20-slim AS manifests
WORKDIR /app
COPY packages packages
RUN find packages -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

# Build: every dependency, the sources, then `npm run build` (tsc to each package's dist/, the pages
# to packages/web/dist); then the dev dependencies are pruned and the sources dropped, so the runtime
# stage below copies compiled JavaScript and production dependencies only.
FROM node:20-slim AS build

WORKDIR /app

COPY package.json package-lock.json ./
# npm ci needs every workspace's package.json to link the workspaces (dialects are found through those links).
COPY --from=manifests /app/packages packages
# --ignore-scripts: the root `prepare` (the build) needs the sources, which come next.
RUN npm ci --no-audit --no-fund --ignore-scripts

COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf packages/*/src packages/*/testing packages/*/conformance packages/web/page packages/*/tsconfig.json packages/*/dist/*.tsbuildinfo packages/*/lib/*.tsbuildinfo tsconfig*.json \
 && npm cache clean --force

# Runtime: what the build stage left (dist/, production node_modules, config/), no compiler, no tsx.
FROM node:20-slim

WORKDIR /app
COPY --from=build /app /app

USER node
# The admin server binds loopback by default (DESIGN.md "Security"); in here that would be unreachable.
# docker-compose.yml publishes it on the host's 127.0.0.1 only.
ENV CHAT_GATEWAY_ADMIN_HOST=0.0.0.0
# WS_2017, PSU, Sup, ChatMaster 3000, IRC, the chat page (WebSocket), admin HTTP (config/gateway.yaml).
EXPOSE 1030 23456 3000 9000 6667 8081 8080
# The admin port the mounted config names (or CHAT_GATEWAY_ADMIN_PORT), asked by node: slim images have no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD ["node", "packages/gateway/bin/healthcheck.js"]
# config/ can be replaced at run time: docker-compose.yml mounts ./config read-only.
# What `npm start` runs, but with node itself as PID 1: `docker stop` signals PID 1 only, and
# npm's `sh -c` (dash) dies on SIGTERM without passing it on, so the gateway would be killed
# without telling its clients goodbye. Node gets the signal and shuts down gracefully.
CMD ["node", "packages/gateway/dist/bundle/cli.js", "serve"]
