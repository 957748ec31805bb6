#!/bin/sh
# Container entry point: migrate, create a signing key only when none exists, then run the
# server (default) or, with `worker`, the background-job worker. Any other command runs as is.
set -eu
cd "$(dirname "$0")"
# In a container the port is reached from outside it: every interface, whatever the profile
# (the local profile alone would bind loopback, which nothing outside the container reaches).
export DJAM_HOST="${DJAM_HOST:-0.0.0.0}"

node bin/djam.js migrate
node bin/djam.js creatersakey --if-missing

case "${1:-server}" in
  server) exec node --expose-gc --import tsx src/main.ts ;; # as npm start (src/ops/startup-memory.ts)
  worker) exec node bin/djam.js worker ;;
  *) exec "$@" ;;
esac
