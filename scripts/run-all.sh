#!/usr/bin/env bash
# Starts the web server, the Celery worker and Celery beat together; Ctrl-C stops all three.
# Used by `make run` (embedded defaults: SQLite and Celery's filesystem broker, no server needed).
set -uo pipefail
cd "$(dirname "$0")/.."
HOST=${1:-127.0.0.1}
PORT=${2:-8000}
# The address links in e-mails point to (reminders, single sign-on): this server's, unless set already (a
# proxy in front, another host name).
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
# The app's own error pages, not Django's technical ones, as in production; `make run` has collected the static
# files and WhiteNoise serves them with DEBUG off. `DEBUG=1 make run` brings the technical pages back.
export DEBUG="${DEBUG:-0}"
BIN=.venv/bin
mkdir -p var/log

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping web, worker and beat..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  # Give the worker its warm shutdown (finish the task in hand), then make sure nothing is left behind.
  for _ in $(seq 1 40); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  echo "Stopped."
}
trap 'cleanup; exit 0' INT TERM
trap cleanup EXIT

$BIN/celery -A compliance_site worker -l info --concurrency 2 >var/log/worker.log 2>&1 &
pids+=($!)
$BIN/celery -A compliance_site beat -l info --schedule var/celerybeat-schedule >var/log/beat.log 2>&1 &
pids+=($!)
$BIN/gunicorn compliance_site.wsgi:application --bind "$HOST:$PORT" --workers 2 --access-logfile - \
  >var/log/web.log 2>&1 &
pids+=($!)

for _ in $(seq 1 50); do
  if curl -fsS "http://$HOST:$PORT/healthz" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
echo
echo "Compliance Case Manager is running at http://$HOST:$PORT/"
echo "  links in e-mails: $SITE_URL/ (SITE_URL)"
echo "  web log: var/log/web.log · worker: var/log/worker.log · beat: var/log/beat.log"
echo "  Press Ctrl-C to stop web, worker and beat."
# Exit (and stop the others) as soon as any of the three dies, so a crash is never silent.
wait -n "${pids[@]}"
echo "A process exited; see var/log/." >&2
exit 1
