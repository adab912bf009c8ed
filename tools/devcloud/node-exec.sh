#!/bin/bash
# Run a command on a devcloud node over ssh (strict host key checking).
#   node-exec.sh [-u osops] NODE [CMD...]     NODE: c01 | c01.example.com
# Without CMD: interactive shell. As osops, use "sudo -n CMD" for root.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/common.sh"
user=root
[ "${1:-}" = -u ] && { user=$2; shift 2; }
[ $# -ge 1 ] || die "usage: node-exec.sh [-u USER] NODE [CMD...]"
s=$(node_short "$1"); shift
[ -f "$W/ssh/config" ] || die "no $W/ssh/config: is the devcloud up?"
tty=(); [ $# -eq 0 ] && [ -t 0 ] && tty=(-t)
exec ssh -F "$W/ssh/config" "${tty[@]}" -l "$user" "$s" "$@"
