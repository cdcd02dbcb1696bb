# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the dev toolchain.
# Node 24, an LTS line supported until April 2028 (Node 20 reached its end of life in April 2026).
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY ui ./ui
RUN npx tsc -p tsconfig.json && npm run build:ui

# Runtime stage: production dependencies and compiled code only, as a non-root user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist/src ./dist/src
# The web UI the controller serves at /.
COPY --from=build /src/dist/ui ./dist/ui
# The demo's example config repo (`sluice demo` inside the image).
COPY examples ./examples
RUN mkdir -p /var/cache/sluice && chown 10001:10001 /var/cache/sluice
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["node", "/app/dist/src/cli/main.js"]
CMD ["controller"]
