#!/usr/bin/env bash
# Refresh the vendored front-end assets from npm. Run by hand when upgrading; the app never fetches at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --silent bootstrap@5.3.9 htmx.org@2.0.11 chart.js@4.6.1)
nm="$tmp/node_modules"
cp "$nm/bootstrap/dist/css/bootstrap.min.css"* static/vendor/bootstrap/
cp "$nm/bootstrap/dist/js/bootstrap.bundle.min.js"* static/vendor/bootstrap/
cp "$nm/htmx.org/dist/htmx.min.js" static/vendor/htmx/
cp "$nm/chart.js/dist/chart.umd.min.js"* static/vendor/chartjs/
