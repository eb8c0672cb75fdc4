"""A tenant builds a whole topology on a netcore server with Debian's openstacksdk and openstack CLI,
then tears it down, and says what it saw (one JSON line on stdout; non-zero exit on failure).

Usage: /usr/bin/python3 sdk_topology.py URL TENANT_URL PROJECT
  URL         the server; the SDK names the caller with X-Project-Id / X-Roles headers
  TENANT_URL  the same server behind a proxy that sets X-Project-Id: PROJECT (the CLI cannot set headers)

LBaaS v1 goes through the SDK's network adapter: openstacksdk dropped v1's proxies long ago.
"""
import json
import subprocess
import sys

import openstack
from keystoneauth1 import session as ks_session
from keystoneauth1.noauth import NoAuth

url, tenant_url, project = sys.argv[1], sys.argv[2], sys.argv[3]


def connect(headers):
    return openstack.connection.Connection(session=ks_session.Session(auth=NoAuth(), additional_headers=headers), network_endpoint_override=url)


admin = connect({'X-Project-Id': 'e2e-admin', 'X-Roles': 'admin'}).network
net_ = connect({'X-Project-Id': project}).network
seen = {}


def cli(*args):
    """The openstack CLI as the tenant (through the proxy that names it); JSON output but for deletes, which print none."""
    fmt = [] if 'delete' in args else ['-f', 'json']
    out = subprocess.run(['/usr/bin/openstack', '--os-auth-type', 'none', '--os-endpoint', tenant_url, *args, *fmt],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise SystemExit(f'openstack {" ".join(args)} failed: {out.stderr.strip()[-500:]}')
    return json.loads(out.stdout) if out.stdout.strip() else None


def lb(method, path, body=None):
    res = getattr(net_, method)(path, json=body) if body is not None else getattr(net_, method)(path)
    if res.status_code >= 300:
        raise SystemExit(f'{method.upper()} {path} answered {res.status_code}: {res.text}')
    return res.json() if res.text else None


def usage():
    details = net_.get(f'/quotas/{project}/details').json()['quota']
    return {k: v['used'] for k, v in details.items()}


# the cloud's external network, made by admin
ext = admin.create_network(name='public', is_router_external=True)
admin.create_subnet(network_id=ext.id, ip_version=4, cidr='172.24.4.0/24', name='public-v4')
seen['usage_before'] = usage()

# the tenant's topology
net = net_.create_network(name='e2e')
s4 = net_.create_subnet(network_id=net.id, ip_version=4, cidr='10.20.0.0/24', name='e2e-v4')
s6 = net_.create_subnet(network_id=net.id, ip_version=6, cidr='2001:db8:20::/64', ipv6_ra_mode='slaac', ipv6_address_mode='slaac', name='e2e-v6')
router = net_.create_router(name='e2e-router', external_gateway_info={'network_id': ext.id})
net_.add_interface_to_router(router, subnet_id=s4.id)
net_.add_interface_to_router(router, subnet_id=s6.id)
sg = cli('security', 'group', 'create', 'e2e-web', '--description', 'made by the CLI')
cli('security', 'group', 'rule', 'create', '--ingress', '--protocol', 'tcp', '--dst-port', '80', '--remote-ip', '0.0.0.0/0', 'e2e-web')
net_.create_security_group_rule(security_group_id=sg['id'], direction='ingress', protocol='icmp', ether_type='IPv4')
net_.create_security_group_rule(security_group_id=sg['id'], direction='ingress', protocol='tcp', port_range_min=443, port_range_max=443, ether_type='IPv6')
vm = net_.create_port(network_id=net.id, name='e2e-vm', device_id='vm-e2e', device_owner='compute:nova', security_group_ids=[sg['id']])
backends = [net_.create_port(network_id=net.id, name=f'e2e-backend-{i}', device_id=f'backend-{i}', device_owner='compute:nova') for i in range(2)]
fip = net_.create_ip(floating_network_id=ext.id, port_id=vm.id)
pool = lb('post', '/lb/pools', {'pool': {'name': 'e2e-pool', 'subnet_id': s4.id, 'protocol': 'HTTP', 'lb_method': 'ROUND_ROBIN'}})['pool']
members = [lb('post', '/lb/members', {'member': {'pool_id': pool['id'], 'address': b.fixed_ips[0]['ip_address'], 'protocol_port': 80}})['member'] for b in backends]
vip = lb('post', '/lb/vips', {'vip': {'name': 'e2e-vip', 'subnet_id': s4.id, 'pool_id': pool['id'], 'protocol': 'HTTP', 'protocol_port': 80,
                                      'session_persistence': {'type': 'HTTP_COOKIE'}}})['vip']
monitor = lb('post', '/lb/health_monitors', {'health_monitor': {'type': 'HTTP', 'delay': 5, 'timeout': 3, 'max_retries': 3, 'url_path': '/health'}})['health_monitor']
lb('post', f'/lb/pools/{pool["id"]}/health_monitors', {'health_monitor': {'id': monitor['id']}})

# what the tenant sees of it
router = net_.get_router(router.id)
seen['gateway'] = [router.external_gateway_info['network_id'] == ext.id, router.external_gateway_info['enable_snat'],
                   router.external_gateway_info['external_fixed_ips'][0]['ip_address'].startswith('172.24.4.')]
seen['interfaces'] = sorted(p.fixed_ips[0]['ip_address'] for p in net_.ports(device_id=router.id))
seen['vm'] = sorted(ip['ip_address'] for ip in net_.get_port(vm.id).fixed_ips)
seen['vm_groups'] = net_.get_port(vm.id).security_group_ids == [sg['id']]
fip = net_.get_ip(fip.id)
seen['floating_ip'] = [fip.floating_ip_address.startswith('172.24.4.'), fip.router_id == router.id, fip.fixed_ip_address]
seen['cli_floating_ips'] = [f['Floating IP Address'] for f in cli('floating', 'ip', 'list')]
seen['cli_router'] = cli('router', 'show', 'e2e-router')['name']
seen['rules'] = sorted(f"{r.direction} {r.ether_type} {r.protocol} {r.port_range_min}" for r in net_.security_group_rules(security_group_id=sg['id']))
pool = lb('get', f'/lb/pools/{pool["id"]}')['pool']
seen['pool'] = [len(pool['members']), pool['health_monitors'] == [monitor['id']], pool['vip_id'] == vip['id']]
seen['vip'] = [vip['address'].startswith('10.20.0.'), vip['session_persistence']]
seen['usage_built'] = usage()

# in use: Neutron's refusals reach the SDK as exceptions
try:
    net_.delete_router(router, ignore_missing=False)
    raise SystemExit('deleting a router with interfaces succeeded')
except openstack.exceptions.ConflictException:
    seen['router_in_use'] = True

# teardown, in reverse
lb('delete', f'/lb/pools/{pool["id"]}/health_monitors/{monitor["id"]}')
lb('delete', f'/lb/health_monitors/{monitor["id"]}')
lb('delete', f'/lb/vips/{vip["id"]}')
for m in members:
    lb('delete', f'/lb/members/{m["id"]}')
lb('delete', f'/lb/pools/{pool["id"]}')
net_.delete_ip(fip, ignore_missing=False)
for p in [vm, *backends]:
    net_.delete_port(p, ignore_missing=False)
cli('security', 'group', 'delete', 'e2e-web')
net_.remove_interface_from_router(router, subnet_id=s6.id)
net_.remove_interface_from_router(router, subnet_id=s4.id)
net_.delete_router(router, ignore_missing=False)
net_.delete_subnet(s6, ignore_missing=False)
net_.delete_subnet(s4, ignore_missing=False)
net_.delete_network(net, ignore_missing=False)

seen['leftovers'] = {
    'networks': [n.name for n in net_.networks() if n.project_id == project],
    'subnets': [s.name for s in net_.subnets()],
    'ports': [p.name for p in net_.ports()],
    'routers': [r.name for r in net_.routers()],
    'floating_ips': [f.floating_ip_address for f in net_.ips()],
    'security_groups': sorted(g.name for g in net_.security_groups()),
    **{coll: lb('get', f'/lb/{coll}')[coll] for coll in ('pools', 'members', 'vips', 'health_monitors')},
}
seen['usage_after'] = usage()
# the cloud's side: the external network can go once nothing of the tenant's holds it
admin.delete_network(ext, ignore_missing=False)
print(json.dumps(seen))
