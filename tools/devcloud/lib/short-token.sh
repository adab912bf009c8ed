# A second keystone whose tokens expire after DEVCLOUD_SHORT_TOKEN_S seconds
# (default 20), for the tests of token renewal in the middle of a long drain.
# Same database, fernet keys and policy as the main keystone (5000): its
# tokens are fernet tokens carrying their own expiry, so nova, neutron and the
# main keystone validate them like any other and refuse them once they lapse.
# Only who authenticates at 5001 gets short tokens; every other client and the
# services' own credentials keep the main keystone's 24 h. Why this and not a
# shorter [token] expiration for everyone: tools/devcloud/NOTES.md.
# Sourced by up.sh after common.sh; its PID is recorded in pids/ like every
# service, so down.sh (stop_everything) stops it with the others.

SHORT_TOKEN_PORT=5001
SHORT_TOKEN_URL=http://127.0.0.1:$SHORT_TOKEN_PORT/v3

# start_short_token_keystone : write its config (the main one with a short
# [token] expiration) and start it under uwsgi as service "keystone-short".
start_short_token_keystone() {
  local E=$W/etc s=${DEVCLOUD_SHORT_TOKEN_S:-20}
  port_listening "$SHORT_TOKEN_PORT" && die "port $SHORT_TOKEN_PORT (short-token keystone) is taken"
  mkdir -p "$E/keystone-short"
  sed -e "s/^expiration = .*/expiration = $s/" "$E/keystone/keystone.conf" > "$E/keystone-short/keystone.conf"
  grep -q "^expiration = $s\$" "$E/keystone-short/keystone.conf" || die "no [token] expiration in $E/keystone/keystone.conf"
  start keystone-short uwsgi --plugins python3 --master --die-on-term --no-orphans --lazy-apps \
    --enable-threads --buffer-size 65535 --need-app --add-header "Connection: close" \
    --procname-prefix-spaced keystone-short --processes 1 --threads 2 \
    --http-socket "127.0.0.1:$SHORT_TOKEN_PORT" --wsgi-file /usr/bin/keystone-wsgi-public \
    --env OS_KEYSTONE_CONFIG_DIR="$E/keystone-short"
}

# short_token_keystone_answers : its API answers and issues tokens of the short life.
short_token_keystone_answers() { curl -sf -o /dev/null -m 3 "$SHORT_TOKEN_URL"; }

# wait_for_short_token_keystone : up to 90 s for its API (no up.sh helpers needed)
wait_for_short_token_keystone() {
  local i
  for ((i = 0; i < 180; i++)); do short_token_keystone_answers && return 0; sleep 0.5; done
  die "the short-token keystone did not answer at $SHORT_TOKEN_URL within 90 s; see $W/log/keystone-short.out"
}
