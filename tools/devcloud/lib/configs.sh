# Config files of the control plane (MariaDB, RabbitMQ, keystone, placement,
# nova controller services, neutron, glance, cinder). Sourced by up.sh after
# common.sh. Debian's files in /etc are not used: every service gets its own
# --config-file under $W/etc. Node (nova-compute) configs: see nodes.sh.

DBURL() { echo "mysql+pymysql://openstack:${DB_PASS}@127.0.0.1:3306/$1?charset=utf8"; }
TRANSPORT="rabbit://openstack:${RABBIT_PASS}@127.0.0.1:5672/"
CONTROLLER_HOST=devcloud-controller

ksat() {  # [keystone_authtoken] for service user $1
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:5000
auth_url = http://127.0.0.1:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = ${SVC_PASS}
region_name = ${REGION}
service_token_roles_required = true
EOF
}
svcauth() {  # [$1] with password auth for service user $2
  cat <<EOF
[$1]
auth_url = http://127.0.0.1:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = ${SVC_PASS}
region_name = ${REGION}
EOF
}

write_mariadb_config() {
  mkdir -p "$W/mysql/data" "$W/mysql/tmp"
  cat > "$W/mysql/my.cnf" <<EOF
[client]
socket = $W/run/mysqld.sock
[mysqld]
user = mysql
datadir = $W/mysql/data
tmpdir = $W/mysql/tmp
socket = $W/run/mysqld.sock
pid-file = $W/run/mysqld.pid
bind-address = 127.0.0.1
port = 3306
skip-name-resolve
log-error = $W/log/mariadb.err
max_connections = 1000
character-set-server = utf8
collation-server = utf8_general_ci
innodb_buffer_pool_size = 256M
innodb_flush_log_at_trx_commit = 2
innodb_doublewrite = 0
skip-log-bin
EOF
  chown -R mysql:mysql "$W/mysql"
  chmod 755 "$W" "$W/run"; chown mysql:mysql "$W/run"
}

write_rabbit_config() {
  local R=$W/rabbitmq
  mkdir -p "$R/home" "$R/mnesia" "$R/log"
  cat > "$R/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:5672
default_user = openstack
default_pass = ${RABBIT_PASS}
loopback_users = none
log.file.level = warning
EOF
  echo '[].' > "$R/enabled_plugins"
  # rabbitmq-server normally su's to user rabbitmq and writes /var/log:
  # run the inner script as root with everything under $W instead.
  cat > "$R/env.sh" <<EOF
export HOME=$R/home
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_NODENAME=rabbit@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=5672
export RABBITMQ_DIST_PORT=25672
export RABBITMQ_CONFIG_FILE=$R/rabbitmq
export RABBITMQ_ENABLED_PLUGINS_FILE=$R/enabled_plugins
export RABBITMQ_MNESIA_BASE=$R/mnesia
export RABBITMQ_LOG_BASE=$R/log
export RABBITMQ_PID_FILE=$R/rabbit.pid
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
}

write_openstack_configs() {
  local E=$W/etc
  mkdir -p "$E"/{keystone,placement,nova,neutron,glance,cinder}

  # ---- keystone
  mkdir -p -m 700 "$W/state/keystone/fernet-keys" "$W/state/keystone/credential-keys"
  cat > "$E/keystone/keystone.conf" <<EOF
[DEFAULT]
[database]
connection = $(DBURL keystone)
[identity]
# test cloud: cheap bcrypt (default 12 rounds costs ~0.4 s of CPU per token)
password_hash_rounds = 4
[token]
provider = fernet
expiration = 86400
[fernet_tokens]
key_repository = $W/state/keystone/fernet-keys
[credential]
key_repository = $W/state/keystone/credential-keys
[oslo_policy]
policy_dirs = /etc/keystone/policy.d
EOF

  # ---- placement
  cat > "$E/placement/placement.conf" <<EOF
[DEFAULT]
[api]
auth_strategy = keystone
[placement_database]
connection = $(DBURL placement)
$(ksat placement)
[oslo_policy]
policy_dirs = /etc/placement/policy.d
EOF

  # ---- nova (api/conductor/scheduler; nodes derive theirs from it)
  mkdir -p "$W/state/nova/lock"
  cp /etc/nova/api-paste.ini "$E/nova/api-paste.ini"
  cat > "$E/nova/nova.conf" <<EOF
[DEFAULT]
my_ip = 127.0.0.1
host = $CONTROLLER_HOST
state_path = $W/state/nova
transport_url = $TRANSPORT
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_workers = 1
# nova calls a compute down after 30 s without a report (nova's default 60; report_interval stays 10, so three
# missed reports): every test that stops a nova-compute waits half as long for nova to notice
service_down_time = 30
# fake virt driver: no VIF plugging events will ever come
vif_plugging_timeout = 0
vif_plugging_is_fatal = false
[api]
auth_strategy = keystone
[api_database]
connection = $(DBURL nova_api)
[database]
connection = $(DBURL nova)
$(ksat nova)
$(svcauth placement placement)
$(svcauth neutron neutron)
[cinder]
os_region_name = ${REGION}
$(svcauth service_user nova)
send_service_user_token = true
[glance]
region_name = ${REGION}
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = -1
[vnc]
enabled = false
[spice]
enabled = false
[oslo_concurrency]
lock_path = $W/state/nova/lock
[oslo_policy]
policy_dirs = /etc/nova/policy.d
[wsgi]
api_paste_config = $E/nova/api-paste.ini
EOF
  # nova-api under uwsgi: nothing drives the eventlet AMQP heartbeat between
  # requests, rabbit then drops the idle connection. No heartbeat for it.
  printf '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 0\n' > "$E/nova/nova-api.conf"

  # ---- neutron (ML2 without agents: pylib/osrig_fake_mech.py binds ports)
  mkdir -p "$W/state/neutron/lock"
  cat > "$E/neutron/neutron.conf" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9696
host = $CONTROLLER_HOST
state_path = $W/state/neutron
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
transport_url = $TRANSPORT
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 0
allow_overlapping_ips = true
dhcp_agent_notification = false
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
api_paste_config = /etc/neutron/api-paste.ini
[database]
connection = $(DBURL neutron)
$(ksat neutron)
$(svcauth nova nova)
[oslo_concurrency]
lock_path = $W/state/neutron/lock
[oslo_policy]
policy_dirs = /etc/neutron/policy.d
EOF
  cat > "$E/neutron/ml2_conf.ini" <<EOF
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = osrig_fake
extension_drivers = port_security
[ml2_type_flat]
flat_networks = physnet1
[ml2_type_vlan]
network_vlan_ranges = physnet1:100:199
[ml2_type_vxlan]
vni_ranges = 1:1000
EOF

  # ---- glance (file store)
  mkdir -p "$W/state/glance"/{images,staging,tasks,lock}
  cp /etc/glance/glance-api-paste.ini "$E/glance/glance-api-paste.ini"
  cat > "$E/glance/glance-api.conf" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9292
workers = 1
enabled_backends = fs:file
[database]
connection = $(DBURL glance)
$(ksat glance)
[paste_deploy]
flavor = keystone
config_file = $E/glance/glance-api-paste.ini
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $W/state/glance/images/
[os_glance_staging_store]
filesystem_store_datadir = $W/state/glance/staging/
[os_glance_tasks_store]
filesystem_store_datadir = $W/state/glance/tasks/
[oslo_concurrency]
lock_path = $W/state/glance/lock
EOF

  # ---- cinder (fake volume driver shipped in python3-cinder)
  mkdir -p "$W/state/cinder/lock"
  cat > "$E/cinder/cinder.conf" <<EOF
[DEFAULT]
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = 8776
osapi_volume_workers = 1
host = $CONTROLLER_HOST
state_path = $W/state/cinder
transport_url = $TRANSPORT
auth_strategy = keystone
api_paste_config = /etc/cinder/api-paste.ini
enabled_backends = fake
my_ip = 127.0.0.1
[database]
connection = $(DBURL cinder)
$(ksat cinder)
[oslo_concurrency]
lock_path = $W/state/cinder/lock
[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
EOF

  # A config file no oslo service can parse: added to the command line of the
  # service named in DEVCLOUD_BREAK (failure-path tests of up.sh).
  printf '[DEFAULT]\nthis line is deliberately not valid ini (DEVCLOUD_BREAK)\n' > "$E/broken.conf"
}

# Client credentials: openrc, demo-openrc, clouds.yaml (devcloud, devcloud-demo)
write_client_files() {
  cat > "$W/openrc" <<EOF2
# devcloud admin credentials (loopback test cloud)
export OS_AUTH_URL=http://127.0.0.1:5000/v3
export OS_IDENTITY_API_VERSION=3
export OS_AUTH_TYPE=password
export OS_USERNAME=admin
export OS_PASSWORD=${ADMIN_PASS}
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=${REGION}
export OS_INTERFACE=public
export OS_COMPUTE_API_VERSION=2.90
EOF2
  sed -e 's/OS_USERNAME=admin/OS_USERNAME=demo/' -e "s/OS_PASSWORD=.*/OS_PASSWORD=${DEMO_PASS}/" \
      -e 's/OS_PROJECT_NAME=admin/OS_PROJECT_NAME=demo/' -e 's/admin credentials/demo (member) credentials/' \
      "$W/openrc" > "$W/demo-openrc"
  local c
  {
    echo "# devcloud (loopback test cloud): OS_CLIENT_CONFIG_FILE=$W/clouds.yaml OS_CLOUD=devcloud"
    echo "clouds:"
    for c in "devcloud admin $ADMIN_PASS admin" "devcloud-demo demo $DEMO_PASS demo"; do
      set -- $c
      cat <<EOF2
  $1:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: $2
      password: $3
      project_name: $4
      user_domain_name: Default
      project_domain_name: Default
    region_name: ${REGION}
    interface: public
    identity_api_version: 3
EOF2
    done
  } > "$W/clouds.yaml"
}
