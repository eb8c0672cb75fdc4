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
    if (defect === 'claims-router') this.extensions.push('router');
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
    if (!this.is('leaks-addresses')) return super.deletePort(ctx, id);
    this.getPort(ctx, id);
    // the rows go, the free ranges are never told
    this.core.db.prepare('DELETE FROM ports WHERE id = ?').run(id);
  }
}

export function defectivePlugin(defect: Defect): PluginFactory {
  return ({ db, config }) => new DefectivePlugin(db, config, defect);
}

/** For `netbot conformance --plugin ./test/netcore/conformance/defective-plugin.ts`: the defect comes from pluginOptions.defect. */
const createPlugin: PluginFactory = (opts) => defectivePlugin((opts.config.pluginOptions.defect as Defect | undefined) ?? 'wrong-error-type')(opts);
export default createPlugin;
