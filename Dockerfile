# Elevate in a container (App Service for Containers, Container Apps). Not built on the development
# machines (no Docker engine there): `docker build -t elevate .` (README "Running on Azure").
# better-sqlite3 builds from source when no prebuilt binary fits, hence the toolchain in both stages.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY adaptive-cards ./adaptive-cards
COPY src ./src
COPY tests ./tests
COPY scripts ./scripts
RUN npm run build

FROM node:20-bookworm-slim AS production-dependencies
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY --from=production-dependencies --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist/src ./dist/src
# The card templates are JSON modules: tsc emits them beside dist/src.
COPY --from=build --chown=node:node /app/dist/adaptive-cards ./dist/adaptive-cards
COPY --chown=node:node package.json ./
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM reaches node directly (exec form): Elevate drains within ELEVATE_SHUTDOWN_TIMEOUT_SECONDS.
# --disable-warning=DEP0111: see the README (restify → spdy → http-deceiver).
CMD ["node", "--disable-warning=DEP0111", "dist/src/main.js"]
