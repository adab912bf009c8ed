#!/bin/bash
# The devcloud's RabbitMQ, stopped and started for real (the broker outage of the
# guide's "nova-compute did not reconnect" case). Run it under the devcloud lock.
#   rabbit-ctl.sh stop            # TERM the recorded process group (rabbitmq-server + beam), KILL after 60 s
#   rabbit-ctl.sh start           # as up.sh starts it: $W/rabbitmq/env.sh, setsid rabbitmq-server,
#                                 # new PID in $W/pids/rabbitmq.pid, output appended to log/rabbitmq.out;
#                                 # waits until the openstack user can open an AMQP connection (port 5672 + auth)
#   rabbit-ctl.sh restart [SECS]  # stop, SECS seconds without a broker (default 0), start
#   rabbit-ctl.sh status
# epmd is left running (its own recorded process). The broker's users and
# vhost live in its mnesia dir and survive; nova's queues are not durable and
# are declared again by whoever reconnects.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/common.sh"

stop_rabbit() {
  local p i
  p=$(recorded_pid rabbitmq)
  if ! pid_alive "$p"; then say "rabbitmq: not running (recorded pid ${p:-none})"; return 0; fi
  kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p"
  for ((i = 0; i < 300; i++)); do group_alive "$p" || break; sleep 0.2; done
  if group_alive "$p"; then warn "rabbitmq: still alive after 60 s: KILL"; kill -KILL -- "-$p" 2>/dev/null || true; sleep 1; fi
  for ((i = 0; i < 50; i++)); do port_listening "${PORT_OF[rabbitmq]}" || break; sleep 0.2; done
  say "rabbitmq: stopped (pid $p) at $(date -u '+%Y-%m-%d %H:%M:%S')Z"
}

start_rabbit() {
  local p i
  p=$(recorded_pid rabbitmq)
  if pid_alive "$p"; then say "rabbitmq: already running (pid $p)"; return 0; fi
  (
    . "$W/rabbitmq/env.sh"
    cd /
    setsid /usr/lib/rabbitmq/bin/rabbitmq-server </dev/null >>"$W/log/rabbitmq.out" 2>&1 &
    echo $! > "$W/pids/rabbitmq.pid"
    disown $! 2>/dev/null || true
  )
  p=$(recorded_pid rabbitmq)
  for ((i = 0; i < 300; i++)); do
    pid_alive "$p" || die "rabbitmq died while starting; see $W/log/rabbitmq.out:$(echo; tail -n 15 "$W/log/rabbitmq.out")"
    if port_listening "${PORT_OF[rabbitmq]}" &&
       python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',5672),2); s.sendall(b'AMQP\x00\x00\x09\x01'); sys.exit(0 if s.recv(8)[:1]==b'\x01' else 1)" 2>/dev/null; then
      say "rabbitmq: started (pid $p) at $(date -u '+%Y-%m-%d %H:%M:%S')Z"; return 0
    fi
    sleep 0.2
  done
  die "rabbitmq (pid $p) does not answer AMQP after 60 s; see $W/log/rabbitmq.out"
}

case "${1:-status}" in
  stop) stop_rabbit ;;
  start) start_rabbit ;;
  restart) stop_rabbit; [ "${2:-0}" -gt 0 ] && { say "rabbitmq: down for ${2} s"; sleep "$2"; }; start_rabbit ;;
  status) p=$(recorded_pid rabbitmq); if pid_alive "$p"; then echo "rabbitmq: running (pid $p)"; else echo "rabbitmq: stopped"; exit 3; fi ;;
  *) die "usage: rabbit-ctl.sh stop|start|restart [SECONDS DOWN]|status" ;;
esac
