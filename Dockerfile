# DJAM server image: `docker run IMAGE` runs the server, `docker run IMAGE worker` the job worker.

# 1. Every dependency (the console's Vite among them), then the admin console build (console/dist).
#    Scripts are skipped at install (the root `prepare` would build before the sources are in) and
#    the build runs on its own, so a source change does not repeat the install.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY console/package.json ./console/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY console ./console
RUN npm run build

# 2. Production dependencies of the server only: not the console's (it ships as static files), and
#    no lifecycle scripts (`prepare` would try to build the console without Vite).
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY console/package.json ./console/
RUN npm ci --omit=dev --workspaces=false --ignore-scripts --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production DJAM_PROJECT_ENVIRONMENT=prod DJAM_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/console/dist ./console/dist
COPY package.json docker-entrypoint.sh ./
COPY bin ./bin
COPY src ./src
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["./docker-entrypoint.sh"]
CMD ["server"]
