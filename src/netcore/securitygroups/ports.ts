import type { Db } from '../db/connection.js';
import type { Network, Port, PortCreate, PortUpdate, RequestContext } from '../plugins/plugin.js';
import { inChunks } from '../plugins/sqlite/list.js';
import type { PortRow } from '../plugins/sqlite/ports.js';
import { portSecurityAndIpRequiredForSecurityGroups, portSecurityPortHasSecurityGroup, securityGroupNotFound } from './errors.js';

/**
 * A port's security groups and port security (Neutron's securitygroups mixin and ML2's
 * port_security driver). Without a row, port security is on: the default, also for ports and
 * networks made before the extension.
 */
export class PortSecurity {
  constructor(
    private readonly db: Db,
    /** The project's default group, made on first use when the caller may (else undefined). */
    private readonly defaultGroup: (ctx: RequestContext, projectId: string) => string | undefined,
  ) {}

  networkEnabled(networkId: string): boolean {
    const row = this.db.prepare('SELECT port_security_enabled AS on_ FROM networksecuritybindings WHERE network_id = ?').get(networkId) as { on_: number } | undefined;
    return row ? !!row.on_ : true;
  }

  setNetwork(networkId: string, enabled: boolean): void {
    this.db.prepare('INSERT OR REPLACE INTO networksecuritybindings (network_id, port_security_enabled) VALUES (?, ?)').run(networkId, +enabled);
  }

  portEnabled(portId: string): boolean {
    const row = this.db.prepare('SELECT port_security_enabled AS on_ FROM portsecuritybindings WHERE port_id = ?').get(portId) as { on_: number } | undefined;
    return row ? !!row.on_ : true;
  }

  /** A new port: the groups asked for, else the project's default (none for network:* ports or without port security). */
  created(ctx: RequestContext, portId: string, item: PortCreate): void {
    const enabled = item.port_security_enabled ?? this.networkEnabled(item.network_id);
    const asked = item.security_groups ?? [];
    if (asked.length && !enabled) throw portSecurityAndIpRequiredForSecurityGroups();
    const trusted = item.device_owner.startsWith('network:');
    let groups: string[] = [];
    if (!trusted && asked.length) groups = this.checkGroups(ctx, item.project_id, asked);
    else if (!trusted && item.security_groups === undefined && enabled) {
      const dflt = this.defaultGroup(ctx, item.project_id);
      if (dflt) groups = [dflt];
    }
    this.db.prepare('INSERT INTO portsecuritybindings (port_id, port_security_enabled) VALUES (?, ?)').run(portId, +enabled);
    this.bind(portId, groups);
  }

  /** Port security off means no groups: refused while the port keeps (or would get) any. */
  updating(ctx: RequestContext, port: PortRow, changes: PortUpdate): void {
    const enabled = changes.port_security_enabled ?? this.portEnabled(port.id);
    if (!enabled) {
      if (changes.security_groups?.length) throw portSecurityAndIpRequiredForSecurityGroups();
      if (changes.security_groups === undefined && this.groupsOf([port.id]).length) throw portSecurityPortHasSecurityGroup();
    }
    if (changes.security_groups?.length && !port.device_owner.startsWith('network:')) this.checkGroups(ctx, port.project_id, changes.security_groups);
  }

  updated(portId: string, changes: PortUpdate): void {
    if (changes.port_security_enabled !== undefined) {
      this.db.prepare('INSERT OR REPLACE INTO portsecuritybindings (port_id, port_security_enabled) VALUES (?, ?)').run(portId, +changes.port_security_enabled);
    }
    if (changes.security_groups !== undefined) {
      this.db.prepare('DELETE FROM securitygroupportbindings WHERE port_id = ?').run(portId);
      this.bind(portId, changes.security_groups);
    }
  }

  extendPorts(ports: Port[]): void {
    const ids = ports.map((p) => p.id);
    const groups = new Map<string, string[]>();
    for (const b of this.groupsOf(ids)) groups.set(b.port_id, [...(groups.get(b.port_id) ?? []), b.security_group_id]);
    const enabled = new Map(
      inChunks(ids, (c, m) => this.db.prepare(`SELECT port_id, port_security_enabled AS on_ FROM portsecuritybindings WHERE port_id IN (${m})`).all(...c) as { port_id: string; on_: number }[]).map(
        (r) => [r.port_id, !!r.on_],
      ),
    );
    for (const p of ports) {
      p.security_groups = groups.get(p.id) ?? [];
      p.port_security_enabled = enabled.get(p.id) ?? true;
    }
  }

  extendNetworks(networks: Network[]): void {
    const ids = networks.map((n) => n.id);
    const off = new Set(
      inChunks(ids, (c, m) => this.db.prepare(`SELECT network_id FROM networksecuritybindings WHERE port_security_enabled = 0 AND network_id IN (${m})`).all(...c) as { network_id: string }[]).map(
        (r) => r.network_id,
      ),
    );
    for (const n of networks) n.port_security_enabled = !off.has(n.id);
  }

  private groupsOf(portIds: string[]): { port_id: string; security_group_id: string }[] {
    return inChunks(portIds, (c, m) =>
      this.db.prepare(`SELECT port_id, security_group_id FROM securitygroupportbindings WHERE port_id IN (${m}) ORDER BY rowid`).all(...c) as { port_id: string; security_group_id: string }[],
    );
  }

  private bind(portId: string, groups: string[]): void {
    const insert = this.db.prepare('INSERT INTO securitygroupportbindings (port_id, security_group_id) VALUES (?, ?)');
    for (const g of groups) insert.run(portId, g);
  }

  /** Each group must be the port's project's (any, for admin); the missing ones are named, as Neutron does. */
  private checkGroups(ctx: RequestContext, projectId: string, ids: string[]): string[] {
    const found = inChunks(ids, (c, m) => this.db.prepare(`SELECT id, project_id FROM securitygroups WHERE id IN (${m})`).all(...c) as { id: string; project_id: string }[]);
    const valid = new Set(found.filter((g) => ctx.isAdmin || g.project_id === projectId).map((g) => g.id));
    const missing = ids.filter((id) => !valid.has(id));
    if (missing.length) throw securityGroupNotFound(missing.join(', '));
    return ids;
  }
}
