#!/usr/bin/python3
"""Seed the devcloud with a small, realistic estate, in one process (one
`openstack` CLI call costs 2-4 s; this whole script ~20-30 s) and write
$DEVCLOUD_DIR/seed.json. Plain REST calls through openstacksdk's
keystoneauth adapters, so the requests are exactly the documented API.

Estate: image cirros-fake, flavors m1.tiny/m1.small, provider network
"public" (flat physnet1, shared, external, 203.0.113.0/24), shared admin
network "recovery-net" (198.51.100.0/28), 6 servers on c01/c02/c03 (3 on
c01 incl. one of project demo; two booted on pre-created ports; one with a
cinder volume attached; one SHUTOFF).
Env: OS_CLIENT_CONFIG_FILE (clouds.yaml), DEVCLOUD_DIR.
"""
import json
import os
import sys
import time

import openstack

W = os.environ['DEVCLOUD_DIR']
INST = '/var/lib/nova/instances'
MV = '2.90'          # nova Zed supports 2.1-2.93
T0 = time.time()


def log(msg):
    print('seed: %5.1fs %s' % (time.time() - T0, msg), flush=True)


def ok(resp, what):
    if resp.status_code >= 400:
        sys.exit('seed: %s failed: HTTP %s %s' % (what, resp.status_code, resp.text[:500]))
    return resp.json() if resp.content else {}


admin = openstack.connect(cloud='devcloud')
demo = openstack.connect(cloud='devcloud-demo')
nova, neutron, glance = admin.compute, admin.network, admin.image


def get(adapter, path, **kw):
    return ok(adapter.get(path, **kw), 'GET ' + path)


def post(adapter, path, body, what, **kw):
    return ok(adapter.post(path, json=body, **kw), what)


# ---------------------------------------------------------------- image
img = ok(glance.post('/images', json={
    'name': 'cirros-fake', 'disk_format': 'raw', 'container_format': 'bare',
    'visibility': 'public', 'os_distro': 'cirros'}), 'image create')
ok(glance.put('/images/%s/file' % img['id'], data=b'\0' * (1 << 20),
              headers={'Content-Type': 'application/octet-stream'}), 'image upload')
log('image cirros-fake %s' % img['id'])

# ---------------------------------------------------------------- flavors
flavors = []
for fid, name, ram, disk in (('1', 'm1.tiny', 512, 1), ('2', 'm1.small', 2048, 20)):
    f = post(nova, '/flavors', {'flavor': {'id': fid, 'name': name, 'ram': ram,
                                           'vcpus': 1, 'disk': disk}}, 'flavor ' + name)['flavor']
    flavors.append({'id': f['id'], 'name': name, 'vcpus': 1, 'ram': ram, 'disk': disk})
FLAVOR = {f['name']: f['id'] for f in flavors}
log('flavors m1.tiny m1.small')

# ---------------------------------------------------------------- quotas
# The tests boot their own servers beside the seeded ones (a 20-server drain, the daily check's weird servers):
# nova's default of 10 instances and 20 cores per project would refuse them.
ok(nova.put('/os-quota-sets/%s' % admin.current_project_id,
            json={'quota_set': {'instances': 100, 'cores': 200, 'ram': 204800}}), 'quota set admin')
log('quotas of project admin: 100 instances, 200 cores')

# ---------------------------------------------------------------- networks
def network(body, subnet):
    net = post(neutron, '/networks', {'network': body}, 'network ' + body['name'])['network']
    subnet['network_id'] = net['id']
    sub = post(neutron, '/subnets', {'subnet': subnet}, 'subnet ' + subnet['name'])['subnet']
    return net, sub


pub, pub_sub = network(
    {'name': 'public', 'shared': True, 'router:external': True,
     'provider:network_type': 'flat', 'provider:physical_network': 'physnet1'},
    {'name': 'public-subnet', 'ip_version': 4, 'cidr': '203.0.113.0/24',
     'gateway_ip': '203.0.113.1', 'enable_dhcp': False,
     'allocation_pools': [{'start': '203.0.113.10', 'end': '203.0.113.250'}]})
rec, rec_sub = network(
    {'name': 'recovery-net', 'shared': True},
    {'name': 'recovery-subnet', 'ip_version': 4, 'cidr': '198.51.100.0/28',
     'gateway_ip': '198.51.100.1', 'enable_dhcp': False,
     'allocation_pools': [{'start': '198.51.100.2', 'end': '198.51.100.14'}]})
NETS = {'public': (pub, pub_sub), 'recovery-net': (rec, rec_sub)}
log('networks public (203.0.113.0/24) and recovery-net (198.51.100.0/28)')

# pre-created ports (some servers boot on a port made beforehand)
def port(name, net, ip):
    n, s = NETS[net]
    return post(neutron, '/ports', {'port': {
        'name': name, 'network_id': n['id'],
        'fixed_ips': [{'subnet_id': s['id'], 'ip_address': ip}]}}, 'port ' + name)['port']


pre_ports = {'c01-db': port('c01-db-port', 'recovery-net', '198.51.100.5'),
             'c02-cache': port('c02-cache-port', 'public', '203.0.113.20')}
log('ports c01-db-port 198.51.100.5, c02-cache-port 203.0.113.20')

# ---------------------------------------------------------------- servers
# name, project, host, flavor, network (or pre-created port), extras
PLAN = [
    ('c01-web',   'admin', 'c01', 'm1.small', 'public',       {'diskLocal': True}),
    ('c01-db',    'admin', 'c01', 'm1.tiny',  None,           {}),
    ('c01-demo',  'demo',  'c01', 'm1.tiny',  'recovery-net', {}),
    ('c02-app',   'admin', 'c02', 'm1.small', 'public',       {'volume': 'c02-app-data'}),
    ('c02-cache', 'admin', 'c02', 'm1.tiny',  None,           {}),
    ('c03-batch', 'admin', 'c03', 'm1.tiny',  'public',       {'shutoff': True}),
]
FQDN = {s: s + '.example.com' for s in ('c01', 'c02', 'c03')}


def boot(conn, name, host, flavor, net):
    body = {'name': name, 'imageRef': img['id'], 'flavorRef': FLAVOR[flavor]}
    body['networks'] = ([{'port': pre_ports[name]['id']}] if net is None
                        else [{'uuid': NETS[net][0]['id']}])
    if host:   # admin only: pin to the host (the guide's c01/c02/c03)
        body['availability_zone'] = 'nova:' + FQDN[host]
    return post(conn.compute, '/servers', {'server': body}, 'boot ' + name,
                microversion=MV)['server']['id']


def servers_detail():
    return {s['id']: s for s in get(nova, '/servers/detail?all_tenants=1',
                                    microversion=MV)['servers']}


def wait_servers(ids, want, timeout=120, key='status'):
    end = time.time() + timeout
    while True:
        d = servers_detail()
        got = {i: d.get(i, {}).get(key) for i in ids}
        bad = [i for i in ids if d.get(i, {}).get('status') == 'ERROR']
        if bad:
            sys.exit('seed: server(s) in ERROR: %s' % ', '.join(
                '%s %s' % (d[i]['name'], d[i].get('fault', {}).get('message', '')) for i in bad))
        if all(want(v) for v in got.values()):
            return d
        if time.time() > end:
            sys.exit('seed: timeout waiting for servers: %s' % got)
        time.sleep(1)


# The demo member cannot pin a host: disable c02/c03 while its server is
# scheduled, so the scheduler can only pick c01.
svcs = get(nova, '/os-services?binary=nova-compute', microversion='2.53')['services']
others = [s for s in svcs if s['host'] != FQDN['c01']]
for s in others:
    ok(nova.put('/os-services/%s' % s['id'], json={'status': 'disabled',
       'disabled_reason': 'devcloud seeding'}, microversion='2.53'), 'disable ' + s['host'])
ids = {}
try:
    ids['c01-demo'] = boot(demo, 'c01-demo', None, 'm1.tiny', 'recovery-net')
    for name, proj, host, flavor, net, _ in PLAN:
        if host == 'c01' and proj == 'admin':
            ids[name] = boot(admin, name, host, flavor, net)
    wait_servers([ids['c01-demo']], lambda h: bool(h), key='OS-EXT-SRV-ATTR:host')
finally:
    for s in others:
        ok(nova.put('/os-services/%s' % s['id'], json={'status': 'enabled'},
                    microversion='2.53'), 'enable ' + s['host'])
for name, proj, host, flavor, net, _ in PLAN:
    if name not in ids:
        ids[name] = boot(admin, name, host, flavor, net)
log('6 servers requested')
detail = wait_servers(list(ids.values()), lambda st: st == 'ACTIVE')
log('6 servers ACTIVE')

# ---------------------------------------------------------------- volume, SHUTOFF
bs = admin.block_storage
vol = post(bs, '/volumes', {'volume': {'name': 'c02-app-data', 'size': 1}}, 'volume create')['volume']
post(nova, '/servers/%s/action' % ids['c03-batch'], {'os-stop': None}, 'stop c03-batch')
end = time.time() + 60
while get(bs, '/volumes/%s' % vol['id'])['volume']['status'] != 'available':
    if time.time() > end:
        sys.exit('seed: volume c02-app-data not available')
    time.sleep(0.5)
att = post(nova, '/servers/%s/os-volume_attachments' % ids['c02-app'],
           {'volumeAttachment': {'volumeId': vol['id']}}, 'attach volume', microversion=MV)
end = time.time() + 60
while True:
    v = get(bs, '/volumes/%s' % vol['id'])['volume']
    if v['status'] == 'in-use':
        break
    if time.time() > end or v['status'] == 'error':
        sys.exit('seed: volume c02-app-data status %s' % v['status'])
    time.sleep(0.5)
log('volume c02-app-data in-use on c02-app (%s)' % att['volumeAttachment'].get('device'))
detail = wait_servers([ids['c03-batch']], lambda st: st == 'SHUTOFF', timeout=60)
log('c03-batch SHUTOFF')

# ---------------------------------------------------------------- seed.json
ports = get(neutron, '/ports')['ports']
projects = {p['id']: p['name'] for p in
            ok(admin.identity.get('/projects'), 'projects')['projects']}
servers = []
for name, proj, host, flavor, net, extra in PLAN:
    s = detail[ids[name]]
    sp = [p for p in ports if p['device_id'] == s['id']]
    disk = {'path': '%s/%s/disk' % (INST, s['id']),
            'hostPath': '%s/nodes/%s/var/lib/nova/instances/%s/disk' % (W, host, s['id']),
            'format': 'raw', 'partitionTable': 'dos', 'partition': 1, 'fsType': 'ext4',
            'fsLabel': 'cloudimg-rootfs', 'files': {'/etc/hostname': name}}
    local = None
    if extra.get('diskLocal'):
        local = {'path': disk['path'] + '.local', 'hostPath': disk['hostPath'] + '.local',
                 'format': 'raw', 'partitionTable': None, 'fsType': 'ext4', 'fsLabel': 'ephemeral0'}
    servers.append({
        'id': s['id'], 'name': name, 'project': projects.get(s['tenant_id'], s['tenant_id']),
        'projectId': s['tenant_id'], 'host': s['OS-EXT-SRV-ATTR:host'], 'node': host,
        'instanceName': s['OS-EXT-SRV-ATTR:instance_name'], 'status': s['status'],
        'flavor': flavor, 'image': 'cirros-fake',
        'ports': [{'id': p['id'], 'name': p['name'], 'networkId': p['network_id'],
                   'network': next((k for k, v in NETS.items() if v[0]['id'] == p['network_id']), None),
                   'macAddress': p['mac_address'],
                   'fixedIps': [f['ip_address'] for f in p['fixed_ips']],
                   'preCreated': p['id'] == pre_ports.get(name, {}).get('id')} for p in sp],
        'volumes': ([{'id': vol['id'], 'name': 'c02-app-data',
                      'device': att['volumeAttachment'].get('device')}] if 'volume' in extra else []),
        'disk': disk, 'diskLocal': local})
seed = {
    'generatedAt': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
    'clouds': {'admin': 'devcloud', 'demo': 'devcloud-demo',
               'cloudsYaml': os.environ['OS_CLIENT_CONFIG_FILE']},
    'image': {'id': img['id'], 'name': 'cirros-fake', 'diskFormat': 'raw', 'size': 1 << 20},
    'flavors': flavors,
    'networks': [{'id': n['id'], 'name': n['name'], 'shared': True,
                  'external': n.get('router:external', False),
                  'providerNetworkType': n.get('provider:network_type'),
                  'providerPhysicalNetwork': n.get('provider:physical_network'),
                  'subnets': [{'id': sb['id'], 'name': sb['name'], 'cidr': sb['cidr'],
                               'gatewayIp': sb['gateway_ip'], 'enableDhcp': sb['enable_dhcp'],
                               'allocationPools': sb['allocation_pools']}]}
                 for n, sb in NETS.values()],
    'ports': [{'id': p['id'], 'name': p['name'], 'networkId': p['network_id'],
               'fixedIps': [f['ip_address'] for f in p['fixed_ips']], 'server': n}
              for n, p in pre_ports.items()],
    'volumes': [{'id': vol['id'], 'name': 'c02-app-data', 'size': 1, 'status': 'in-use',
                 'server': 'c02-app', 'serverId': ids['c02-app'],
                 'device': att['volumeAttachment'].get('device')}],
    'servers': servers,
}
with open(os.path.join(W, 'seed.json'), 'w') as f:
    json.dump(seed, f, indent=2)
log('wrote %s/seed.json' % W)
