# ros-ocp: one image for every role (`node bin/ros-ocp.mjs start <role>`, `start all` by default). compose.yaml
# runs one service per role from it, and infra/provision.ts (topics, buckets) too.
# The server (TypeScript to dist/) and the web view are built with the dev dependencies (TypeScript, Vite, Preact,
# uPlot) in a stage of their own; the roles run the compiled server, which needs about 120 MiB less per process
# than running the TypeScript through tsx.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-slim

WORKDIR /app
ENV NODE_ENV=production \
    ROS_LISTEN_HOST=0.0.0.0 \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

# Dependencies first, for layer caching.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .
COPY --from=build --chown=node:node /app/web/dist ./web/dist
COPY --from=build --chown=node:node /app/dist ./dist

USER node
EXPOSE 3000 8001 8002 8080
CMD ["node", "bin/ros-ocp.mjs", "start", "all"]
