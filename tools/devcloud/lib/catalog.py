#!/usr/bin/python3
"""Create (idempotently) the service project, service users, a demo
project/user and the service catalog of the devcloud, in one process
(much faster than ~40 separate `openstack` CLI calls).

Reads: OS_AUTH_URL, OS_PASSWORD (admin), SVC_PASS, DEMO_PASS, REGION,
ENDPOINTS as "type:name:url;type:name:url;..." and SERVICE_USERS (space
separated; default the control plane's: nova placement neutron glance cinder).
"""
import os
import sys

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

auth = v3.Password(auth_url=os.environ['OS_AUTH_URL'], username='admin',
                   password=os.environ['OS_PASSWORD'], project_name='admin',
                   user_domain_id='default', project_domain_id='default')
ks = client.Client(session=session.Session(auth=auth),
                   interface='public')
region = os.environ.get('REGION', 'RegionOne')
svc_pass = os.environ['SVC_PASS']
demo_pass = os.environ['DEMO_PASS']


def one(items):
    return items[0] if items else None


def project(name, desc):
    p = one(ks.projects.list(name=name, domain='default'))
    return p or ks.projects.create(name, 'default', description=desc)


def user(name, password, proj):
    u = one(ks.users.list(name=name, domain='default'))
    return u or ks.users.create(name, domain='default', password=password,
                                default_project=proj)


def role(name):
    r = one(ks.roles.list(name=name))
    return r or ks.roles.create(name)


service_proj = project('service', 'Service project')
demo_proj = project('demo', 'Demo (non-admin) project')
admin_role, member_role, reader_role = role('admin'), role('member'), role('reader')
role('service')

for name in os.environ.get('SERVICE_USERS',
                           'nova placement neutron glance cinder').split():
    u = user(name, svc_pass, service_proj)
    ks.roles.grant(admin_role, user=u, project=service_proj)
    ks.roles.grant(role('service'), user=u, project=service_proj)

demo = user('demo', demo_pass, demo_proj)
ks.roles.grant(member_role, user=demo, project=demo_proj)

for spec in os.environ['ENDPOINTS'].split(';'):
    if not spec.strip():
        continue
    stype, sname, url = spec.split(':', 2)
    svc = one([s for s in ks.services.list(type=stype) if s.name == sname])
    if not svc:
        svc = ks.services.create(sname, type=stype,
                                 description='devcloud %s' % stype)
    have = {e.interface for e in ks.endpoints.list(service=svc,
                                                    region=region)}
    for iface in ('public', 'internal', 'admin'):
        if iface not in have:
            ks.endpoints.create(svc, url, interface=iface, region=region)
    print('catalog: %-15s %-10s %s' % (stype, sname, url))
sys.exit(0)
