#!/bin/sh
# make run: a user-level supervision tree on examples/service. No root needed.
# The services are copied to ./run/service (git ignores it) so supervise/ state stays out of
# the source tree. Ctrl-C stops every service and the supervisors cleanly.
# EXAMPLE_ONCE=1 shows the status once, then stops: a non-interactive smoke run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${RUNIT_BIN:-$top/bin}
rundir=${RUN_DIR:-$top/run}
svdir=$rundir/service
rm -rf "$rundir"
mkdir -p "$rundir"
cp -R "$top/examples/service" "$svdir"
PATH=$bin:$PATH
export PATH SVDIR=$svdir
# chpst -P: runsvdir gets its own session, so Ctrl-C reaches only this script, which then
# stops the tree in order.
chpst -P runsvdir -P "$svdir" 'log: ...........................................................' &
pid=$!
stop() {
  trap - INT TERM
  echo
  echo "make run: stopping (runsvdir gets HUP: every service is stopped, then the supervisors exit)"
  kill -HUP "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # Wait until no supervisor answers any more.
  for i in $(seq 1 100); do
    sv status "$svdir"/* 2>/dev/null | grep -q '^run\|^down\|^finish' || break
    sleep 0.1
  done
  sv status "$svdir"/* || true
  echo "make run: stopped"
  exit 0
}
trap stop INT TERM
# runsvdir picks the services up within a second; then wait (event-driven) until they run.
for i in $(seq 1 100); do
  [ -p "$svdir/hello/supervise/ok" ] && [ -p "$svdir/ticker/supervise/ok" ] && [ -p "$svdir/once/supervise/ok" ] && break
  sleep 0.1
done
sv -w 10 start "$svdir/hello" "$svdir/ticker" >/dev/null || true
echo "make run: supervising $svdir (SVDIR is set; try: bin/sv status \$SVDIR/*, bin/sv once \$SVDIR/once)"
sv status "$svdir"/* || true
if [ "${EXAMPLE_ONCE:-}" ]; then
  stop
fi
echo "make run: press Ctrl-C to stop"
while :; do
  sleep 10 &
  wait $! || true
  sv status "$svdir"/* || true
done
