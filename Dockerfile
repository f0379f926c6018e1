# ros-ocp: every role in one Node 20 process (`node bin/ros-ocp.mjs start all`). TypeScript runs through tsx,
# so there is no build step. Used by compose.yaml; infra/provision.ts (topics, buckets) runs from this image too.
FROM node:20-slim

WORKDIR /app
ENV NODE_ENV=production \
    ROS_LISTEN_HOST=0.0.0.0 \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

# Dependencies first, for layer caching.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .

USER node
EXPOSE 3000 8001 8002 8080
CMD ["node", "bin/ros-ocp.mjs", "start", "all"]
