"""Drives netcore in keystone mode with the real openstacksdk (Debian python3-openstacksdk), password
auth, the network endpoint taken from Keystone's catalog. Two members of two projects each make a
network, subnet and port; then each looks at the other's. Prints one JSON line of what each saw.

Usage: /usr/bin/python3 keystone_sdk.py AUTH_URL   (users demo/demo-secret, demo2/demo2-secret, admin)
"""
import json
import sys

import openstack
from openstack import exceptions

AUTH_URL = sys.argv[1]


def connect(user, password, project):
    return openstack.connect(auth_url=AUTH_URL, username=user, password=password, project_name=project,
                             user_domain_name='Default', project_domain_name='Default',
                             region_name='RegionOne', load_yaml_config=False, load_envvars=False)


seen = {}
made = {}
for user in ('demo', 'demo2'):
    conn = connect(user, user + '-secret', user)
    net = conn.network.create_network(name='sdk-' + user)
    sub = conn.network.create_subnet(network_id=net.id, ip_version=4, cidr='10.77.0.0/24', name='sdk-' + user)
    port = conn.network.create_port(network_id=net.id, name='sdk-' + user)
    made[user] = {'network': net.id, 'port': port.id, 'project': net.project_id,
                  'endpoint': conn.endpoint_for('network'), 'ip': port.fixed_ips[0]['ip_address'], 'subnet': sub.id}

for user, other in (('demo', 'demo2'), ('demo2', 'demo')):
    conn = connect(user, user + '-secret', user)
    try:
        conn.network.get_network(made[other]['network'])
        other_network = 'visible'
    except exceptions.NotFoundException:
        other_network = 'not found'
    try:
        conn.network.update_port(made[other]['port'], name='stolen')
        other_port_update = 'changed'
    except exceptions.NotFoundException:
        other_port_update = 'not found'
    seen[user] = {
        'networks': sorted(n.name for n in conn.network.networks()),
        'ports': sorted(p.name for p in conn.network.ports()),
        'other_network': other_network,
        'other_port_update': other_port_update,
    }

admin = connect('admin', 'admin-secret', 'admin')
seen['admin'] = {'networks': sorted(n.name for n in admin.network.networks())}
for user in ('demo', 'demo2'):
    conn = connect(user, user + '-secret', user)
    conn.network.delete_port(made[user]['port'])
    conn.network.delete_network(made[user]['network'])
seen['after'] = sorted(n.name for n in admin.network.networks())
print(json.dumps({'made': made, 'seen': seen}))
