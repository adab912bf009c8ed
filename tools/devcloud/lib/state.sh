# What is running of the devcloud right now. Sourced after common.sh.
# cloud_state sets ALIVE / DEAD / MISSING (service names), API_DOWN (APIs
# not answering) and CLOUD_STATE, one of:
#   up       every control-plane service and node sshd alive, every API answers
#            (a stopped nova-compute is a test situation, not a fault; a spare node
#            never started is added by up.sh)
#   partial  some recorded process alive, but not all of the above
#   stale    state of an earlier run, nothing of it alive
#   none     no state at all
cloud_state() {
  local name core=0 any=0
  ALIVE=() DEAD=() MISSING=() API_DOWN=()
  for name in $ALL_SERVICES; do
    if [ ! -f "$W/pids/$name.pid" ]; then MISSING+=("$name")
    elif svc_alive "$name"; then ALIVE+=("$name"); any=1
    else DEAD+=("$name")
    fi
  done
  if [ $any = 0 ]; then
    if [ ${#DEAD[@]} -gt 0 ] || [ -f "$W/state/dev-placeholders" ] || [ -f "$W/state/loops" ] || [ -f "$W/state/swift-loops" ]; then
      CLOUD_STATE=stale
    else
      CLOUD_STATE=none
    fi
    return 0
  fi
  for name in "${DEAD[@]+"${DEAD[@]}"}"; do
    case "$name" in nova-compute-*) ;; *) core=1 ;; esac
  done
  # a spare node never started (a devcloud brought up before it existed): up.sh adds it (lib/spare.sh)
  for name in "${MISSING[@]+"${MISSING[@]}"}"; do
    case "$name" in nova-compute-*) ;; sshd-*) is_spare "${name#sshd-}" || core=1 ;; *) core=1 ;; esac
  done
  for name in "${!API_URL[@]}"; do
    wait_http_quiet "${API_URL[$name]}" || { API_DOWN+=("$name"); core=1; }
  done
  if [ $core = 0 ]; then CLOUD_STATE=up; else CLOUD_STATE=partial; fi
}
