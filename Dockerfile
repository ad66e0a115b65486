# syntax=docker/dockerfile:1
# One image for every service of the product (the gateway and each subgraph); docker-compose.yml picks
# the entry point per service. Build: docker build -t salesgraph .
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The whole monorepo (build outputs, node_modules and secrets are left out by .dockerignore), so a new
# workspace needs no change here.
COPY . .
# npm ci with the npm bundled in the Node 22 image (10.x); it also links the workspaces into node_modules.
RUN npm ci --no-audit --no-fund
# Builds the gateway and, through its project references, the registry, the platform and every subgraph.
# (`npx tsc -b` alone would also build test/, scripts/ and bench/, which the image does not need.)
RUN npx tsc -b gateway
# Reinstall with production dependencies only; the compiled dist/ folders stay.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
# The app writes nothing when DATABASE_URL is set; DATA_DIR is only for the embedded database fallback.
RUN mkdir -p /app/.data && chown node:node /app/.data
ENV DATA_DIR=/app/.data
# The `node` user (uid 1000) ships with the official image.
USER node
# The gateway's port; each subgraph's port is exposed by docker-compose.yml, generated from the registry.
EXPOSE 4000
CMD ["node", "gateway/dist/main.js"]
