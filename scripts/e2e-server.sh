#!/usr/bin/env bash
# The server the end-to-end tests drive: the built apps and `npm start`'s server, on a
# fresh data folder every run so the demo data is always as seeded.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf "${DATA_DIR:?}"
exec node --import tsx server/main.ts
