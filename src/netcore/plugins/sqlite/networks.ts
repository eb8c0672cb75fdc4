import { randomUUID } from 'node:crypto';
import { invalidInput, NeutronError, networkInUse, networkNotFound } from '../../errors.js';
import type { Network, NetworkCreate, NetworkUpdate, RequestContext } from '../plugin.js';
import type { Core } from './core.js';
import { inChunks, now, type TableSpec } from './list.js';
import { standardFields, Table } from './table.js';

export interface NetworkRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  status: string;
  admin_state_up: number;
  shared: number;
  mtu: number;
  router_external: number;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

const segmentField = (col: string) => `(SELECT ${col} FROM networksegments g WHERE g.network_id = n.id LIMIT 1)`;

export const networkTable: TableSpec = {
  from: 'networks n',
  alias: 'n',
  columns: {
    id: 'n.id',
    name: 'n.name',
    description: 'n.description',
    project_id: 'n.project_id',
    status: 'n.status',
    admin_state_up: 'n.admin_state_up',
    shared: 'n.shared',
    mtu: 'n.mtu',
    'router:external': 'n.router_external',
    created_at: 'n.created_at',
    updated_at: 'n.updated_at',
    revision_number: 'n.revision_number',
    'provider:network_type': segmentField('network_type'),
    'provider:physical_network': segmentField('physical_network'),
    'provider:segmentation_id': segmentField('segmentation_id'),
  },
  special: {
    subnets: (values) => ({
      sql: `n.id IN (SELECT x.network_id FROM subnets x WHERE x.id IN (${values.map(() => '?').join(', ')}))`,
      params: values,
    }),
  },
  // own, shared and external networks are visible to every project
  visibility: (ctx) => ({ sql: '(n.project_id = ? OR n.shared = 1 OR n.router_external = 1)', params: [ctx.projectId] }),
  notFound: networkNotFound,
};

const invalidSharedSetting = (id: string) =>
  new NeutronError('InvalidSharedSetting', 409, `Unable to reconfigure sharing settings for network ${id}. Multiple tenants are using it.`);

export class Networks extends Table<NetworkRow, Network> {
  constructor(core: Core) {
    super(core, networkTable);
  }

  /** Inserts one network with its segment; runs inside the caller's transaction. */
  create(item: NetworkCreate): string {
    const { db, segments } = this.core;
    const id = randomUUID();
    const provider = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'].some((k) => k in item)
      ? { network_type: item['provider:network_type'], physical_network: item['provider:physical_network'], segmentation_id: item['provider:segmentation_id'] }
      : undefined;
    const segment = segments.choose(provider);
    const maxMtu = segments.maxMtu(segment.network_type);
    if (item.mtu !== undefined && item.mtu > maxMtu) throw invalidInput(`Requested MTU is too big, maximum is ${maxMtu}`);
    const ts = now();
    db.prepare(
      `INSERT INTO networks (id, project_id, name, description, status, admin_state_up, shared, mtu, router_external, created_at, updated_at, revision_number)
       VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?, 0)`,
    ).run(id, item.project_id, item.name, item.description, +item.admin_state_up, +item.shared, item.mtu ?? maxMtu, +item['router:external'], ts, ts);
    segments.record(id, segment);
    return id;
  }


  update(ctx: RequestContext, id: string, changes: NetworkUpdate): void {
    const { db, segments } = this.core;
    const row = this.changing(ctx, id);
    if (changes.shared === false && row.shared) {
      const others = db.prepare('SELECT 1 FROM ports WHERE network_id = ? AND project_id != ? LIMIT 1').get(id, row.project_id);
      if (others) throw invalidSharedSetting(id);
    }
    if (changes.mtu !== undefined) {
      const seg = db.prepare('SELECT network_type FROM networksegments WHERE network_id = ?').get(id) as { network_type: string } | undefined;
      const maxMtu = segments.maxMtu(seg?.network_type ?? null);
      if (changes.mtu > maxMtu) throw invalidInput(`Requested MTU is too big, maximum is ${maxMtu}`);
    }
    const next = {
      name: changes.name ?? row.name,
      description: changes.description ?? row.description,
      admin_state_up: changes.admin_state_up === undefined ? row.admin_state_up : +changes.admin_state_up,
      shared: changes.shared === undefined ? row.shared : +changes.shared,
      mtu: changes.mtu ?? row.mtu,
      router_external: changes['router:external'] === undefined ? row.router_external : +changes['router:external'],
    };
    db.prepare(
      `UPDATE networks SET name = ?, description = ?, admin_state_up = ?, shared = ?, mtu = ?, router_external = ?,
       updated_at = ?, revision_number = revision_number + 1 WHERE id = ?`,
    ).run(next.name, next.description, next.admin_state_up, next.shared, next.mtu, next.router_external, now(), id);
  }

  /** Refuses while ports other than the network's own DHCP ports remain. */
  delete(ctx: RequestContext, id: string): void {
    const { db } = this.core;
    this.changing(ctx, id);
    if (db.prepare(`SELECT 1 FROM ports WHERE network_id = ? AND device_owner != 'network:dhcp' LIMIT 1`).get(id)) throw networkInUse(id);
    db.prepare('DELETE FROM ports WHERE network_id = ?').run(id);
    db.prepare('DELETE FROM subnets WHERE network_id = ?').run(id);
    db.prepare('DELETE FROM networks WHERE id = ?').run(id);
  }

  /** What the network's own row holds, without its subnets and segment (two reads fewer; those keys are absent): see getNetwork's `fields`. */
  brief(ctx: RequestContext, id: string): Network {
    const { subnets: _, 'provider:network_type': __, 'provider:physical_network': ___, 'provider:segmentation_id': ____, ...own } = fromRow(this.row(ctx, id), [], undefined);
    return own as Network;
  }

  hydrate(rows: NetworkRow[]): Network[] {
    const { db } = this.core;
    const ids = rows.map((r) => r.id);
    const subnets = new Map<string, string[]>();
    for (const s of inChunks(ids, (c, m) => db.prepare(`SELECT id, network_id FROM subnets WHERE network_id IN (${m}) ORDER BY rowid`).all(...c) as { id: string; network_id: string }[])) {
      subnets.set(s.network_id, [...(subnets.get(s.network_id) ?? []), s.id]);
    }
    const segs = new Map<string, SegmentRow>();
    for (const s of inChunks(ids, (c, m) => db.prepare(`SELECT * FROM networksegments WHERE network_id IN (${m})`).all(...c) as (SegmentRow & { network_id: string })[])) {
      segs.set(s.network_id, s);
    }
    return rows.map((r) => fromRow(r, subnets.get(r.id) ?? [], segs.get(r.id)));
  }
}

interface SegmentRow {
  network_type: string;
  physical_network: string | null;
  segmentation_id: number | null;
}

function fromRow(r: NetworkRow, subnets: string[], seg: SegmentRow | undefined): Network {
  return {
    ...standardFields(r),
    admin_state_up: !!r.admin_state_up,
    status: r.status,
    shared: !!r.shared,
    subnets,
    mtu: r.mtu,
    'router:external': !!r.router_external,
    'provider:network_type': seg?.network_type ?? null,
    'provider:physical_network': seg?.physical_network ?? null,
    'provider:segmentation_id': seg?.segmentation_id ?? null,
  };
}

// what a network's own row holds (its subnets and segment live in other tables)
const ROW_FIELDS = new Set<string>(['id', 'name', 'description', 'project_id', 'tenant_id', 'created_at', 'updated_at', 'revision_number', 'tags', 'admin_state_up', 'status', 'shared', 'mtu', 'router:external']);
export const isRowField = (field: string): boolean => ROW_FIELDS.has(field);
