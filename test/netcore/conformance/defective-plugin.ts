// A plugin with one deliberate defect per class of conformance case: the reference plugin with one
// behaviour broken, chosen by name. The tests prove the suite fails on each and names the case.
import type { NetcoreConfig } from '../../../src/netcore/config.js';
import type { Db } from '../../../src/netcore/db/connection.js';
import { NeutronError } from '../../../src/netcore/errors.js';
import type {
  ListQuery,
  Network,
  NetworkCreate,
  NetworkUpdate,
  PluginFactory,
  Port,
  PortCreate,
  RequestContext,
  Subnet,
  SubnetCreate,
} from '../../../src/netcore/plugins/plugin.js';
import { SqlitePlugin } from '../../../src/netcore/plugins/sqlite/index.js';
import type { FloatingIp, L3Service, Router } from '../../../src/netcore/l3/service.js';
import type { SecurityGroupRule, SecurityGroupService } from '../../../src/netcore/securitygroups/service.js';
import type { LbaasService, Member, Vip } from '../../../src/netcore/lbaas/service.js';
import { randomUUID } from 'node:crypto';

const SYSTEM: RequestContext = { projectId: '', isAdmin: true };

/** Each defect, what it breaks, and the cases that must catch it. */
export const DEFECTS = {
  'ipam-forgets-allocations': { what: 'IPAM returns an allocated address to the free ranges, so it is handed out twice', catches: ['ipam.no_double_allocation', 'ipam.exhaustion'] },
  'leaks-addresses': { what: 'deleting a port does not return its addresses to the pool', catches: ['ports.fixed_ips.recycle', 'ipam.release_on_delete'] },
  'leaks-networks': { what: "shows every project's networks to everyone", catches: ['isolation.networks.invisible'] },
  'hides-shared': { what: 'shared networks are invisible to other projects', catches: ['isolation.shared.visible', 'isolation.shared.ports'] },
  'wrong-error-type': { what: 'deleting a network in use raises NetworkBusy instead of NetworkInUse', catches: ['networks.delete.in_use'] },
  'non-atomic-bulk': { what: 'bulk creates commit item by item', catches: ['bulk.networks.rollback', 'bulk.subnets.rollback', 'bulk.ports.rollback_ip', 'bulk.ports.rollback_mac'] },
  'ignores-base-mac': { what: 'generated MACs ignore the configured base_mac', catches: ['macs.generated.configured_base'] },
  'mac-conflict-500': { what: 'a duplicate MAC surfaces as an internal error instead of MacAddressInUse', catches: ['macs.duplicate', 'bulk.ports.rollback_mac'] },
  'no-pagination': { what: 'lists ignore limit and marker', catches: ['lists.pagination.pages', 'lists.pagination.ports'] },
  'ignores-sort': { what: 'lists ignore sort keys', catches: ['lists.sort.single_key', 'lists.sort.multi_key'] },
  'ignores-requested-pools': { what: 'requested allocation pools are replaced by the default ones, unvalidated', catches: ['subnets.pools.custom', 'subnets.pools.invalid', 'subnets.pools.overlap'] },
  'lax-ipv6-modes': { what: 'invalid IPv6 mode combinations are silently accepted', catches: ['ipv6.modes.mismatch', 'ipv6.modes.eui64_prefix'] },
  'gateway-allocatable': { what: 'a normal port may take the gateway address', catches: ['ports.fixed_ips.gateway'] },
  'deletes-subnet-in-use': { what: 'a subnet with ports is deleted, addresses and all', catches: ['subnets.delete.in_use'] },
  'ignores-provider': { what: "admin's requested provider segment is ignored", catches: ['segments.provider.requested', 'segments.provider.vlan_in_use'] },
  'stale-update': { what: 'network updates are acknowledged but not stored', catches: ['networks.update'] },
  'claims-router': { what: 'declares the router extension without implementing it', catches: ['services.routers.lifecycle', 'services.routers.interfaces'] },
  'gateway-anywhere': { what: 'a router gateway goes on any network, external or not', catches: ['services.routers.gateway_not_external'] },
  'deletes-router-in-use': { what: 'a router with interfaces is deleted, interfaces and all', catches: ['services.routers.in_use'] },
  'deletes-service-ports': { what: "a router's and a floating IP's ports may be deleted through the ports API", catches: ['services.routers.service_ports', 'services.floating_ips.service_port'] },
  'unchecked-routes': { what: 'extra routes are stored without checking their nexthop', catches: ['services.routers.extra_routes'] },
  'leaks-routers': { what: "shows every project's routers to everyone", catches: ['services.routers.isolation'] },
  'fip-without-router': { what: 'a floating IP maps to a port no router joins to the external network', catches: ['services.floating_ips.unreachable'] },
  'fip-shares-fixed-ip': { what: 'one fixed address takes several floating IPs on one external network', catches: ['services.floating_ips.one_per_fixed_ip'] },
  'fip-outlives-port': { what: "deleting a port leaves its floating IP pointing at it (the database refuses: 500)", catches: ['services.floating_ips.port_deleted'] },
  'no-default-group': { what: "ports do not get their project's default security group", catches: ['services.security_groups.port_default'] },
  'default-group-deletable': { what: 'a project may delete or rename its default security group', catches: ['services.security_groups.default_group', 'services.security_groups.default_protected'] },
  'duplicate-rules': { what: 'a rule the group already has is added again', catches: ['services.security_groups.rules', 'services.security_groups.rule_protocols'] },
  'lax-port-ranges': { what: "security group rules' port ranges and ICMP values are not checked", catches: ['services.security_groups.rule_ports', 'services.security_groups.rule_icmp'] },
  'deletes-group-in-use': { what: 'a security group ports use is deleted, bindings and all', catches: ['services.security_groups.ports'] },
  'ignores-port-security': { what: 'port_security_enabled false is ignored: the port keeps port security and its default group', catches: ['services.security_groups.port_security', 'services.security_groups.network_port_security'] },
  'leaks-groups': { what: "shows every project's security groups to everyone", catches: ['services.security_groups.isolation'] },
  'ignores-quotas': { what: 'creates are never checked against the quota', catches: ['services.quotas.over_quota', 'services.quotas.concurrent', 'services.quotas.l3'] },
  'quota-counts-everyone': { what: "a project's usage counts every project's resources", catches: ['services.quotas.per_project'] },
  'quota-reset-ignored': { what: "resetting a project's quota keeps its limits", catches: ['services.quotas.set_and_reset'] },
  'duplicate-members': { what: 'a pool takes the same member address and port twice', catches: ['services.lbaas.members', 'services.lbaas.member_rules'] },
  'deletes-pool-in-use': { what: 'a pool with a vip is deleted, vip and all', catches: ['services.lbaas.vips'] },
  'vip-any-protocol': { what: "a vip's protocol is not checked against its pool's", catches: ['services.lbaas.vip_rules', 'services.lbaas.vip_move'] },
  'vip-keeps-port': { what: "deleting a vip leaves its port holding the address", catches: ['services.lbaas.vip_port'] },
  'leaks-pools': { what: "shows every project's pools to everyone", catches: ['services.lbaas.isolation'] },
  'metadata-ignores-router': { what: 'the metadata lookup finds the address on any network, whichever router or network asked', catches: ['services.metadata.overlapping_ips', 'services.metadata.by_network'] },
} as const;
export type Defect = keyof typeof DEFECTS;

class DefectivePlugin extends SqlitePlugin {
  override readonly name = 'defective';

  constructor(
    db: Db,
    config: NetcoreConfig,
    private readonly defect: Defect,
  ) {
    super(db, defect === 'ignores-base-mac' ? { ...config, baseMac: 'fa:16:3e:00:00:00' } : config);
    // declares router (as the reference plugin does) but serves no L3
    if (defect === 'claims-router') Object.defineProperty(this, 'l3', { value: undefined });
    else Object.defineProperty(this, 'l3', { value: defectiveL3(this.l3, this.core.db, defect) });
    Object.defineProperty(this, 'securityGroups', { value: defectiveSecurityGroups(this.securityGroups, this.core.db, defect) });
    if (defect === 'quota-counts-everyone') {
      // usage counted over the whole table, whoever owns the rows
      const tables: Record<string, string> = { network: 'networks', subnet: 'subnets', port: 'ports', router: 'routers', floatingip: 'floatingips', security_group: 'securitygroups', security_group_rule: 'securitygrouprules' };
      Object.defineProperty(this.quotas, 'used', { value: (resource: string) => (db.prepare(`SELECT count(*) AS n FROM ${tables[resource] ?? 'networks'}`).get() as { n: number }).n });
    }
    if (defect === 'quota-reset-ignored') Object.defineProperty(this.quotas, 'deleteQuota', { value: () => undefined });
    Object.defineProperty(this, 'lbaas', { value: defectiveLbaas(this.lbaas, db, defect) });
    if (defect === 'metadata-ignores-router') {
      // the oldest port with the address, wherever it is: with overlapping CIDRs, someone else's instance
      const first = db.prepare(`SELECT p.id, p.device_id, p.project_id, p.network_id FROM ipallocations a JOIN ports p ON p.id = a.port_id WHERE a.ip_address = ? ORDER BY p.rowid LIMIT 1`);
      const findInstance = (q: { address: string }) => {
        const port = first.get(q.address) as { id: string; device_id: string; project_id: string; network_id: string } | undefined;
        if (!port) throw new NeutronError('InstanceNotFound', 404, 'Instance was not found.');
        return { instance_id: port.device_id, project_id: port.project_id, port_id: port.id, network_id: port.network_id };
      };
      Object.defineProperty(this, 'metadata', { value: { findInstance } });
    }
  }

  protected override checkQuota(resource: string, items: { project_id: string }[]): void {
    if (!this.is('ignores-quotas')) super.checkQuota(resource, items);
  }

  private is(d: Defect): boolean {
    return this.defect === d;
  }

  private listQuery(q: ListQuery): ListQuery {
    if (this.is('no-pagination')) return { ...q, limit: undefined, marker: undefined };
    // creation order, as a store that ignores sort keys gives; by id, the random ids matched the
    // expected multi-key order one run in 120 and the defect went unseen
    if (this.is('ignores-sort')) return { ...q, sorts: [{ key: 'created_at', dir: 'asc' }] };
    return q;
  }

  // Visibility defects: what a project is shown.
  override getNetwork(ctx: RequestContext, id: string): Network {
    if (this.is('leaks-networks')) return super.getNetwork(SYSTEM, id);
    const n = super.getNetwork(ctx, id);
    if (this.is('hides-shared') && !ctx.isAdmin && n.project_id !== ctx.projectId) throw new NeutronError('NetworkNotFound', 404, `Network ${id} could not be found.`);
    return n;
  }
  override listNetworks(ctx: RequestContext, q: ListQuery): Network[] {
    const all = super.listNetworks(this.is('leaks-networks') ? SYSTEM : ctx, this.listQuery(q));
    return this.is('hides-shared') && !ctx.isAdmin ? all.filter((n) => n.project_id === ctx.projectId) : all;
  }
  override listSubnets(ctx: RequestContext, q: ListQuery): Subnet[] {
    return super.listSubnets(ctx, this.listQuery(q));
  }
  override listPorts(ctx: RequestContext, q: ListQuery): Port[] {
    return super.listPorts(ctx, this.listQuery(q));
  }

  override createNetworks(ctx: RequestContext, items: NetworkCreate[]): Network[] {
    const list = this.is('ignores-provider') ? items.map(({ 'provider:network_type': _t, 'provider:physical_network': _p, 'provider:segmentation_id': _s, ...rest }) => rest) : items;
    return this.is('non-atomic-bulk') ? list.flatMap((i) => super.createNetworks(ctx, [i])) : super.createNetworks(ctx, list);
  }
  override updateNetwork(ctx: RequestContext, id: string, changes: NetworkUpdate): Network {
    if (this.is('stale-update')) return { ...super.getNetwork(ctx, id), ...changes } as Network;
    return super.updateNetwork(ctx, id, changes);
  }
  override deleteNetwork(ctx: RequestContext, id: string): void {
    try {
      super.deleteNetwork(ctx, id);
    } catch (err) {
      if (this.is('wrong-error-type') && err instanceof NeutronError && err.type === 'NetworkInUse') throw new NeutronError('NetworkBusy', 409, err.message);
      throw err;
    }
  }

  override createSubnets(ctx: RequestContext, items: SubnetCreate[]): Subnet[] {
    let list = items;
    if (this.is('ignores-requested-pools')) list = list.map(({ allocation_pools: _, ...rest }) => rest);
    if (this.is('lax-ipv6-modes')) list = list.map((i) => (i.ipv6_ra_mode !== i.ipv6_address_mode || !i.cidr.endsWith('/64') ? { ...i, ipv6_ra_mode: null, ipv6_address_mode: null } : i));
    return this.is('non-atomic-bulk') ? list.flatMap((i) => super.createSubnets(ctx, [i])) : super.createSubnets(ctx, list);
  }
  override deleteSubnet(ctx: RequestContext, id: string): void {
    if (this.is('deletes-subnet-in-use')) {
      this.getSubnet(ctx, id);
      this.core.db.prepare('DELETE FROM ipallocations WHERE subnet_id = ?').run(id);
    }
    super.deleteSubnet(ctx, id);
  }

  override createPorts(ctx: RequestContext, items: PortCreate[]): Port[] {
    let list = items;
    if (this.is('gateway-allocatable')) {
      const gateways = new Set((this.core.db.prepare('SELECT gateway_ip FROM subnets').all() as { gateway_ip: string }[]).map((r) => r.gateway_ip));
      // dressing the port up as a router interface slips past the gateway check
      list = list.map((i) => (i.fixed_ips?.some((f) => f.ip_address && gateways.has(f.ip_address)) ? { ...i, device_owner: 'network:router_interface' } : i));
    }
    let ports: Port[];
    try {
      ports = this.is('non-atomic-bulk') ? list.flatMap((i) => super.createPorts(ctx, [i])) : super.createPorts(ctx, list);
    } catch (err) {
      if (this.is('mac-conflict-500') && err instanceof NeutronError && err.type === 'MacAddressInUse') throw new Error('UNIQUE constraint failed: ports.network_id, ports.mac_address');
      throw err;
    }
    if (this.is('ipam-forgets-allocations')) {
      for (const p of ports) for (const f of p.fixed_ips) this.core.ipam.release(f.subnet_id, f.ip_address);
    }
    return ports;
  }
  override deletePort(ctx: RequestContext, id: string): void {
    const { db } = this.core;
    const row = this.ports.find(ctx, id);
    if (this.is('deletes-service-ports') && /^network:(router_|floatingip)/.test(row.device_owner)) {
      // the owner's references go, the owner is never asked
      db.prepare('DELETE FROM routerports WHERE port_id = ?').run(id);
      db.prepare('UPDATE routers SET gw_port_id = NULL WHERE gw_port_id = ?').run(id);
      db.prepare('DELETE FROM ports WHERE id = ?').run(id);
      return;
    }
    if (this.is('fip-outlives-port')) return this.ports.delete(ctx, id);
    if (!this.is('leaks-addresses')) return super.deletePort(ctx, id);
    this.getPort(ctx, id);
    // the rows go, the free ranges are never told
    this.core.db.prepare('DELETE FROM ports WHERE id = ?').run(id);
  }
}

/** The reference L3 service with the defect's rule left out: each refusal it should make is worked around. */
function defectiveL3(l3: L3Service, db: Db, defect: Defect): L3Service {
  const refused = (err: unknown, type: string) => err instanceof NeutronError && err.type === type;
  const wrap: Partial<L3Service> = {};
  if (defect === 'gateway-anywhere') {
    // the external flag is raised for the call and lowered after, so the gateway lands on any network
    const anywhere = <T>(networkId: string | undefined, fn: () => T): T => {
      const was = db.prepare('SELECT router_external FROM networks WHERE id = ?').get(networkId) as { router_external: number } | undefined;
      if (!was) return fn();
      db.prepare('UPDATE networks SET router_external = 1 WHERE id = ?').run(networkId);
      try {
        return fn();
      } finally {
        db.prepare('UPDATE networks SET router_external = ? WHERE id = ?').run(was.router_external, networkId);
      }
    };
    wrap.createRouters = (ctx, items) => anywhere(items[0]?.external_gateway_info?.network_id, () => l3.createRouters(ctx, items) as Router[]);
    wrap.updateRouter = (ctx, id, changes) => anywhere(changes.external_gateway_info?.network_id, () => l3.updateRouter(ctx, id, changes) as Router);
  }
  if (defect === 'deletes-router-in-use') {
    wrap.deleteRouter = (ctx, id) => {
      const ports = (db.prepare(`SELECT port_id FROM routerports WHERE router_id = ? AND port_type = 'network:router_interface'`).all(id) as { port_id: string }[]).map((r) => r.port_id);
      for (const p of ports) {
        db.prepare('DELETE FROM ipallocations WHERE port_id = ?').run(p);
        db.prepare('DELETE FROM ports WHERE id = ?').run(p);
      }
      return l3.deleteRouter(ctx, id);
    };
  }
  if (defect === 'unchecked-routes') {
    wrap.updateRouter = (ctx, id, changes) => {
      try {
        return l3.updateRouter(ctx, id, changes);
      } catch (err) {
        if (!refused(err, 'InvalidRoutes') || !changes.routes) throw err;
        const { routes, ...rest } = changes;
        const insert = db.prepare('INSERT INTO routerroutes (router_id, destination, nexthop) VALUES (?, ?, ?)');
        for (const r of routes) insert.run(id, r.destination, r.nexthop);
        return l3.updateRouter(ctx, id, rest);
      }
    };
  }
  if (defect === 'leaks-routers') {
    wrap.getRouter = (_ctx, id) => l3.getRouter(SYSTEM, id);
    wrap.listRouters = (_ctx, q) => l3.listRouters(SYSTEM, q);
  }
  if (defect === 'fip-without-router' || defect === 'fip-shares-fixed-ip') {
    const skipped = defect === 'fip-without-router' ? 'ExternalGatewayForFloatingIPNotFound' : 'FloatingIPPortAlreadyAssociated';
    // associate by hand, with whatever router (none) the check would have found
    const force = (id: string, portId: string) => {
      const ip = db.prepare(`SELECT ip_address FROM ipallocations WHERE port_id = ? AND ip_address NOT LIKE '%:%' LIMIT 1`).get(portId) as { ip_address: string };
      db.prepare('UPDATE floatingips SET fixed_port_id = ?, fixed_ip_address = ? WHERE id = ?').run(portId, ip.ip_address, id);
      return l3.getFloatingIp(SYSTEM, id) as FloatingIp;
    };
    wrap.createFloatingIps = (ctx, items) =>
      items.map((item) => {
        try {
          return (l3.createFloatingIps(ctx, [item]) as FloatingIp[])[0];
        } catch (err) {
          if (!refused(err, skipped) || !item.port_id) throw err;
          return force((l3.createFloatingIps(ctx, [{ ...item, port_id: null }]) as FloatingIp[])[0].id, item.port_id);
        }
      });
    wrap.updateFloatingIp = (ctx, id, changes) => {
      try {
        return l3.updateFloatingIp(ctx, id, changes);
      } catch (err) {
        if (!refused(err, skipped) || !changes.port_id) throw err;
        return force(id, changes.port_id);
      }
    };
  }
  return new Proxy(l3, { get: (target, key) => (key in wrap ? wrap[key as keyof L3Service] : (target as unknown as Record<string | symbol, unknown>)[key]) });
}

/** The reference security groups with the defect's rule left out (by wrapping the service and its port hooks). */
function defectiveSecurityGroups(sg: SqlitePlugin['securityGroups'], db: Db, defect: Defect): SecurityGroupService {
  const hooks = sg.hooks;
  const created = hooks.portCreated!;
  if (defect === 'no-default-group') hooks.portCreated = (ctx, id, item) => created(ctx, id, item.security_groups === undefined ? { ...item, security_groups: [] } : item);
  if (defect === 'ignores-port-security') {
    hooks.portCreated = (ctx, id, item) => created(ctx, id, { ...item, port_security_enabled: undefined, security_groups: item.port_security_enabled === false ? undefined : item.security_groups });
    hooks.extendNetworks = (networks) => networks.forEach((n) => (n.port_security_enabled = true));
  }
  const wrap: Partial<SecurityGroupService> = {};
  if (defect === 'default-group-deletable') {
    // the group loses its name first, so the default's protection never applies
    const unprotect = (id: string) => db.prepare(`UPDATE securitygroups SET name = 'default-unprotected' WHERE id = ? AND name = 'default'`).run(id);
    wrap.deleteSecurityGroup = (ctx, id) => {
      unprotect(id);
      return sg.deleteSecurityGroup(ctx, id);
    };
    wrap.updateSecurityGroup = (ctx, id, changes) => {
      unprotect(id);
      return sg.updateSecurityGroup(ctx, id, changes);
    };
  }
  if (defect === 'duplicate-rules' || defect === 'lax-port-ranges') {
    const skipped = defect === 'duplicate-rules' ? ['SecurityGroupRuleExists'] : ['SecurityGroupInvalidPortValue', 'SecurityGroupInvalidPortRange', 'SecurityGroupInvalidIcmpValue', 'SecurityGroupMissingIcmpType'];
    wrap.createSecurityGroupRules = (ctx, items) => {
      try {
        return sg.createSecurityGroupRules(ctx, items);
      } catch (err) {
        if (!(err instanceof NeutronError && skipped.includes(err.type))) throw err;
        // stored as asked, unchecked
        return items.map((r) => {
          const id = randomUUID();
          db.prepare(
            `INSERT INTO securitygrouprules (id, project_id, security_group_id, remote_group_id, direction, ethertype, protocol, port_range_min, port_range_max, remote_ip_prefix, description, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')`,
          ).run(id, r.project_id, r.security_group_id, r.remote_group_id, r.direction, r.ethertype, r.protocol, r.port_range_min, r.port_range_max, r.remote_ip_prefix, r.description);
          return sg.getSecurityGroupRule(SYSTEM, id) as SecurityGroupRule;
        });
      }
    };
  }
  if (defect === 'deletes-group-in-use') {
    wrap.deleteSecurityGroup = (ctx, id) => {
      db.prepare('DELETE FROM securitygroupportbindings WHERE security_group_id = ?').run(id);
      return sg.deleteSecurityGroup(ctx, id);
    };
  }
  if (defect === 'leaks-groups') {
    wrap.getSecurityGroup = (_ctx, id) => sg.getSecurityGroup(SYSTEM, id);
    wrap.listSecurityGroups = (_ctx, q) => sg.listSecurityGroups(SYSTEM, q);
  }
  return new Proxy(sg, { get: (target, key) => (key in wrap ? wrap[key as keyof SecurityGroupService] : (target as unknown as Record<string | symbol, unknown>)[key]) });
}

/** The reference LBaaS v1 with the defect's rule left out. */
function defectiveLbaas(lb: LbaasService, db: Db, defect: Defect): LbaasService {
  const wrap: Partial<LbaasService> = {};
  if (defect === 'duplicate-members') {
    // the clash is answered as a success, with the member the pool already had
    wrap.createMembers = (ctx, items) =>
      items.map((item) => {
        const dup = db.prepare('SELECT id FROM members WHERE pool_id = ? AND address = ? AND protocol_port = ?').get(item.pool_id, item.address, item.protocol_port) as { id: string } | undefined;
        return dup ? (lb.getMember(SYSTEM, dup.id) as Member) : (lb.createMembers(ctx, [item]) as Member[])[0];
      });
    wrap.updateMember = (ctx, id, changes) => {
      try {
        return lb.updateMember(ctx, id, changes);
      } catch (err) {
        if (!(err instanceof NeutronError && err.type === 'MemberExists')) throw err;
        return lb.getMember(ctx, id) as Member;
      }
    };
  }
  if (defect === 'deletes-pool-in-use') {
    wrap.deletePool = (ctx, id) => {
      const vip = db.prepare('SELECT id FROM vips WHERE pool_id = ?').get(id) as { id: string } | undefined;
      if (vip) lb.deleteVip(SYSTEM, vip.id);
      return lb.deletePool(ctx, id);
    };
  }
  if (defect === 'vip-any-protocol') {
    // the pool's protocol is bent to the vip's for the check
    const bent = <T>(poolId: string | undefined, protocol: string | undefined, fn: () => T): T => {
      const pool = db.prepare('SELECT protocol FROM pools WHERE id = ?').get(poolId) as { protocol: string } | undefined;
      if (!pool || !protocol) return fn();
      db.prepare('UPDATE pools SET protocol = ? WHERE id = ?').run(protocol, poolId);
      try {
        return fn();
      } finally {
        db.prepare('UPDATE pools SET protocol = ? WHERE id = ?').run(pool.protocol, poolId);
      }
    };
    wrap.createVips = (ctx, items) => bent(items[0]?.pool_id, items[0]?.protocol, () => lb.createVips(ctx, items) as Vip[]);
    wrap.updateVip = (ctx, id, changes) => {
      const vip = db.prepare('SELECT protocol FROM vips WHERE id = ?').get(id) as { protocol: string } | undefined;
      return bent(changes.pool_id, vip?.protocol, () => lb.updateVip(ctx, id, changes) as Vip);
    };
  }
  if (defect === 'vip-keeps-port') {
    wrap.deleteVip = (ctx, id) => {
      const vip = lb.getVip(ctx, id) as Vip;
      db.prepare('UPDATE pools SET vip_id = NULL WHERE id = ?').run(vip.pool_id);
      db.prepare('DELETE FROM sessionpersistences WHERE vip_id = ?').run(id);
      db.prepare('DELETE FROM vips WHERE id = ?').run(id);
    };
  }
  if (defect === 'leaks-pools') {
    wrap.getPool = (_ctx, id) => lb.getPool(SYSTEM, id);
    wrap.listPools = (_ctx, q) => lb.listPools(SYSTEM, q);
  }
  return new Proxy(lb, { get: (target, key) => (key in wrap ? wrap[key as keyof LbaasService] : (target as unknown as Record<string | symbol, unknown>)[key]) });
}

export function defectivePlugin(defect: Defect): PluginFactory {
  return ({ db, config }) => new DefectivePlugin(db, config, defect);
}

/** For `netbot conformance --plugin ./test/netcore/conformance/defective-plugin.ts`: the defect comes from pluginOptions.defect. */
const createPlugin: PluginFactory = (opts) => defectivePlugin((opts.config.pluginOptions.defect as Defect | undefined) ?? 'wrong-error-type')(opts);
export default createPlugin;
