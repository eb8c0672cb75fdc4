"""Drives a netcore server with the real openstacksdk (Debian python3-openstacksdk).

Usage: /usr/bin/python3 sdk_client.py URL   -- prints one JSON line with what it saw; exits non-zero on failure.
"""
import json
import sys

import openstack

url = sys.argv[1]
conn = openstack.connect(auth_type='none', auth={'endpoint': url}, network_endpoint_override=url)
net = conn.network

seen = {}
n = net.create_network(name='sdk-net')
seen['network'] = n.name
n = net.update_network(n, name='sdk-net-2')
assert n.name == 'sdk-net-2', n
# if_revision sends If-Match: revision_number=N; a stale one must not overwrite (412).
try:
    net.update_network(n, name='stale', if_revision=0)
    raise SystemExit('a stale if_revision update succeeded')
except openstack.exceptions.PreconditionFailedException:
    seen['stale_update_refused'] = True

s4 = net.create_subnet(network_id=n.id, name='v4', ip_version=4, cidr='10.9.0.0/24')
s6 = net.create_subnet(network_id=n.id, name='v6', ip_version=6, cidr='2001:db8:9::/64',
                       ipv6_ra_mode='slaac', ipv6_address_mode='slaac')
s4 = net.update_subnet(s4, name='v4-renamed', dns_nameservers=['8.8.8.8'])
assert s4.dns_nameservers == ['8.8.8.8'], s4
seen['subnets'] = sorted(s.cidr for s in net.subnets(network_id=n.id))

p = net.create_port(network_id=n.id, name='sdk-port', mac_address='fa:16:3e:33:44:55')
seen['port_ips'] = sorted(ip['ip_address'] for ip in p.fixed_ips)
p = net.update_port(p, name='sdk-port-2')
assert p.name == 'sdk-port-2'
seen['ports'] = [x.name for x in net.ports(network_id=n.id)]
seen['networks'] = [x.name for x in net.networks()]
assert net.get_network(n.id).id == n.id
assert net.find_network('sdk-net-2').id == n.id

# A NeutronError type becomes an SDK exception: a network with ports cannot go.
try:
    net.delete_network(n, ignore_missing=False)
    raise SystemExit('deleting a network in use succeeded')
except openstack.exceptions.ConflictException as e:
    seen['conflict'] = str(e)[:60]

net.delete_port(p, ignore_missing=False)
net.delete_subnet(s4, ignore_missing=False)
net.delete_subnet(s6, ignore_missing=False)
net.delete_network(n, ignore_missing=False)
try:
    net.get_network(n.id)
    raise SystemExit('deleted network still found')
except openstack.exceptions.ResourceNotFound:
    seen['deleted'] = True
seen['after'] = [x.name for x in net.networks()]
print(json.dumps(seen))
