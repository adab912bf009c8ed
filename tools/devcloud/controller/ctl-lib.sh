# Shared by the stand-in commands of the devcloud's controller node ctl01
# (sourced). They are copied into $NODE_DIR/bin (/usr/local/sbin and
# /usr/local/bin inside the node), next to devcloud-node.env and `units`
# (the unit table of lib/controller.sh: UNIT PIDNAME NODE_LOG HOST_LOG RESTARTABLE DESCRIPTION).
_DC_BIN=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091
. "$_DC_BIN/devcloud-node.env"      # DEVCLOUD_DIR NODE SHORT NODE_DIR
STATE=$NODE_DIR/state

is_root() { [ "$(id -u)" = 0 ]; }
pid_alive() {  # exists and is not a zombie
  local st
  [[ "${1:-}" =~ ^[0-9]+$ ]] || return 1
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# canonical UNIT name (Debian's) of a name as typed; empty if unknown
unit_name() {
  local u=${1%.service}
  case "$u" in
    mysql|mysqld) u=mariadb ;;
    neutron-server) u=neutron-api ;;
    rabbitmq) u=rabbitmq-server ;;
  esac
  awk -v u="$u" '$1==u{print $1}' "$_DC_BIN/units"
}
# load_unit UNIT : sets U U_PIDN U_LOG U_HLOG U_REST U_DESC
load_unit() {
  U=$1
  read -r _ U_PIDN U_LOG U_HLOG U_REST U_DESC < <(awk -v u="$U" '$1==u' "$_DC_BIN/units")
}
all_units() { awk '{print $1}' "$_DC_BIN/units"; }

u_pidfile() { echo "$DEVCLOUD_DIR/pids/$U_PIDN.pid"; }
u_pid() { cat "$(u_pidfile)" 2>/dev/null || true; }
u_running() { pid_alive "$(u_pid)"; }
u_last() { cat "$STATE/$U.last" 2>/dev/null || echo none; }
u_since() { cat "$STATE/$U.since" 2>/dev/null || true; }
set_last() { echo "$1" > "$STATE/$U.last"; date +%s > "$STATE/$U.since"; }
# active | inactive | failed
u_state() {
  if u_running; then echo active
  elif [ "$(u_last)" = stopped ] || [ ! -e "$(u_pidfile)" ]; then echo inactive
  else echo failed
  fi
}
# epoch seconds at which PID started
proc_start() {
  local btime st
  btime=$(awk '/^btime/{print $2}' /proc/stat)
  st=$(sed 's/.*) //' "/proc/$1/stat" | awk '{print $20}')
  echo $(( btime + st / $(getconf CLK_TCK) ))
}

journal() { echo "$(date '+%b %d %H:%M:%S') $NODE systemd[1]: $*" >> "$STATE/journal"; }

ago() {
  local d=$(( $(date +%s) - $1 )) out
  if   [ $d -lt 60 ];    then out="${d}s"
  elif [ $d -lt 3600 ];  then out="$((d / 60))min $((d % 60))s"
  elif [ $d -lt 86400 ]; then out="$((d / 3600))h $((d % 3600 / 60))min"
  else out="$((d / 86400)) day$([ $((d / 86400)) -gt 1 ] && echo s) $((d % 86400 / 3600))h"
  fi
  echo "$out ago"
}
systemd_ts() { date -d "@$1" '+%a %Y-%m-%d %H:%M:%S %Z'; }

# group_alive PGID : a live process in the group
group_alive() {
  ps -e -o pgid=,stat= | awk -v g="$1" '$1==g && $2 !~ /^Z/ {f=1} END{exit !f}'
}

# u_stop : TERM the unit's process group (setsid: PID == PGID), KILL after 20 s.
# The command line is kept for u_start.
u_stop() {
  local p i
  p=$(u_pid)
  if pid_alive "$p"; then
    journal "Stopping $U.service - $U_DESC..."
    tr '\0' '\n' < "/proc/$p/cmdline" > "$STATE/$U.cmdline" 2>/dev/null || true
    kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
    for ((i = 0; i < 100; i++)); do group_alive "$p" || break; sleep 0.2; done
    group_alive "$p" && kill -KILL -- "-$p" 2>/dev/null
    journal "$U.service: Deactivated successfully."
    journal "Stopped $U.service - $U_DESC."
  fi
  set_last stopped
}

# u_start : the unit's command again, in the control plane's own mount and
# UTS namespaces (those of a running control-plane process, not ctl01's),
# its own session, output appended to log/PIDNAME.out, PID recorded in
# $DEVCLOUD_DIR/pids (down.sh stops it as any other service).
u_start() {
  local anchor="" n p cmd=()
  u_running && return 0
  if [ -s "$STATE/$U.cmdline" ]; then
    mapfile -t cmd < "$STATE/$U.cmdline"
  else   # as up.sh starts it
    case "$U" in
      nova-conductor|nova-scheduler)
        cmd=("/usr/bin/$U" --config-file "$DEVCLOUD_DIR/etc/nova/nova.conf" --log-file "$DEVCLOUD_DIR/log/$U.log") ;;
      cinder-scheduler|cinder-api)
        cmd=("/usr/bin/$U" --config-file "$DEVCLOUD_DIR/etc/cinder/cinder.conf" --log-file "$DEVCLOUD_DIR/log/$U.log") ;;
      *) return 1 ;;
    esac
  fi
  for n in mariadb rabbitmq keystone; do
    p=$(cat "$DEVCLOUD_DIR/pids/$n.pid" 2>/dev/null)
    pid_alive "$p" && { anchor=$p; break; }
  done
  [ -n "$anchor" ] || { echo "Failed to start $U.service: no control-plane process to start it beside (devcloud down?)" >&2; return 1; }
  cd / || return 1
  nsenter --target "$anchor" --mount --uts -- setsid "${cmd[@]}" </dev/null >>"$DEVCLOUD_DIR/log/$U_PIDN.out" 2>&1 &
  echo $! > "$(u_pidfile)"
  disown $! 2>/dev/null || true
  set_last running
  journal "Started $U.service - $U_DESC."
}
