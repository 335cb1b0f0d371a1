# syntax=docker/dockerfile:1
# amo1c: the backend (and the widget zip) in one image.
#   docker build -t amo1c .
#   docker run --env-file .env -p 3000:3000 -v amo1c-data:/app/data amo1c
# The widget zip to upload to amoCRM is inside: /app/dist/amo1c-widget.zip.

ARG NODE_IMAGE=node:20-bookworm-slim

# Build tools for native modules (better-sqlite3) when no prebuilt binary fits.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# Stage 1: every dependency, then the widget zip and the compiled server.
FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:widget
RUN npm run build:server

# Stage 2: production dependencies only, compiled against the same Node.
FROM toolchain AS production-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Stage 3: what runs: the compiled server with plain node. The TypeScript
# sources come along for the admin command (`npx amo1c`, which runs them
# through tsx, a production dependency).
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app

COPY --from=production-deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY --chown=node:node bin ./bin
COPY --chown=node:node shared ./shared
COPY --chown=node:node server/src ./server/src
COPY --from=build --chown=node:node /app/dist/server ./dist/server
COPY --from=build --chown=node:node /app/dist/amo1c-widget.zip ./dist/amo1c-widget.zip

# SQLite file (when DATABASE_URL is empty) and anything else amo1c keeps.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]

USER node
EXPOSE 3000

# /readyz answers 200 once the database has this build's schema.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node runs directly (no npm or tsx CLI in between) so it gets SIGTERM and
# finishes running syncs; start it under an init (`docker run --init`,
# compose `init: true`) that forwards signals and reaps child processes.
CMD ["node", "--enable-source-maps", "dist/server/amo1c.mjs"]
