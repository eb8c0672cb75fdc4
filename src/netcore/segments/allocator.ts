import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { NetcoreConfig } from '../config.js';
import { flatNetworkInUse, invalidInput, noNetworkAvailable, tunnelIdInUse, vlanIdInUse } from '../errors.js';

export interface SegmentRequest {
  network_type?: string;
  physical_network?: string | null;
  segmentation_id?: number;
}
export interface Segment {
  network_type: string;
  physical_network: string | null;
  segmentation_id: number | null;
}

const MAX_ID: Record<string, number> = { vlan: 4094, vxlan: 2 ** 24 - 1, gre: 2 ** 32 - 1 };
/** Encapsulation overhead subtracted from the physical MTU (IPv4 outer header). */
const OVERHEAD: Record<string, number> = { vxlan: 50, gre: 42 };

/**
 * Provider segments for networks: tenant networks draw from the configured ranges, admins may
 * name one. Reads and writes go through networksegments, whose unique indexes refuse a duplicate
 * even if two servers race; callers run inside the API call's write transaction.
 */
export class SegmentAllocator {
  private readonly q;

  constructor(db: Db, private readonly config: NetcoreConfig) {
    const same = `network_type = ? AND IFNULL(physical_network, '') = ?`;
    this.q = {
      used: db.prepare(`SELECT 1 FROM networksegments WHERE ${same} AND segmentation_id = ?`),
      flatUsed: db.prepare(`SELECT 1 FROM networksegments WHERE network_type = 'flat' AND physical_network = ?`),
      gap: db.prepare(`
        SELECT a.segmentation_id + 1 AS id FROM networksegments a
        WHERE a.network_type = ? AND IFNULL(a.physical_network, '') = ? AND a.segmentation_id BETWEEN ? AND ?
          AND NOT EXISTS (SELECT 1 FROM networksegments b WHERE b.network_type = a.network_type
            AND IFNULL(b.physical_network, '') = IFNULL(a.physical_network, '') AND b.segmentation_id = a.segmentation_id + 1)
        ORDER BY a.segmentation_id LIMIT 1`),
      insert: db.prepare('INSERT INTO networksegments (id, network_id, network_type, physical_network, segmentation_id) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  /** Picks the network's segment: the requested one (checked free), or a tenant one. Record it before the next pick. */
  choose(request: SegmentRequest | undefined): Segment {
    return request ? this.provider(request) : this.tenant();
  }

  record(networkId: string, segment: Segment): void {
    this.q.insert.run(randomUUID(), networkId, segment.network_type, segment.physical_network, segment.segmentation_id);
  }

  /** The largest MTU a network of this type can have. */
  maxMtu(networkType: string | null): number {
    return this.config.globalPhysnetMtu - (OVERHEAD[networkType ?? ''] ?? 0);
  }

  private tenant(): Segment {
    for (const type of this.config.tenantNetworkTypes) {
      if (type === 'local') return { network_type: 'local', physical_network: null, segmentation_id: null };
      for (const [physnet, ranges] of this.rangesFor(type)) {
        const id = this.firstFree(type, physnet, ranges);
        if (id !== undefined) return { network_type: type, physical_network: physnet || null, segmentation_id: id };
      }
    }
    throw noNetworkAvailable();
  }

  private provider(req: SegmentRequest): Segment {
    const type = req.network_type;
    if (!type) throw invalidInput('network_type required');
    const physnet = req.physical_network ?? null;
    const id = req.segmentation_id;
    if (type === 'local' || type === 'flat') {
      if (id !== undefined) throw invalidInput(`segmentation_id specified for ${type} network`);
      if (type === 'local') {
        if (physnet) throw invalidInput('provider:physical_network specified for local network');
        return { network_type: type, physical_network: null, segmentation_id: null };
      }
      if (!physnet) throw invalidInput('physical_network required for flat provider network');
      if (!this.config.flatNetworks.includes('*') && !this.config.flatNetworks.includes(physnet)) {
        throw invalidInput(`physical_network '${physnet}' unknown for flat provider network`);
      }
      if (this.q.flatUsed.get(physnet)) throw flatNetworkInUse(physnet);
      return { network_type: type, physical_network: physnet, segmentation_id: null };
    }
    if (type !== 'vlan' && physnet) throw invalidInput(`provider:physical_network specified for ${type} network`);
    if (type === 'vlan' && physnet && !(physnet in this.config.networkVlanRanges)) {
      throw invalidInput(`physical_network '${physnet}' unknown for VLAN provider network`);
    }
    if (id === undefined) {
      const pools = this.rangesFor(type).filter(([p]) => type !== 'vlan' || !physnet || p === physnet);
      for (const [p, ranges] of pools) {
        const free = this.firstFree(type, p, ranges);
        if (free !== undefined) return { network_type: type, physical_network: p || null, segmentation_id: free };
      }
      throw noNetworkAvailable();
    }
    if (type === 'vlan' && !physnet) throw invalidInput('physical_network required for VLAN provider network');
    if (id < 1 || id > MAX_ID[type]) throw invalidInput(`segmentation_id out of range (1 through ${MAX_ID[type]})`);
    if (this.q.used.get(type, physnet ?? '', id)) throw type === 'vlan' ? vlanIdInUse(id, physnet!) : tunnelIdInUse(id);
    return { network_type: type, physical_network: physnet, segmentation_id: id };
  }

  private rangesFor(type: string): [string, [number, number][]][] {
    if (type === 'vxlan') return [['', this.config.vniRanges]];
    if (type === 'gre') return [['', this.config.greIdRanges]];
    if (type === 'vlan') return Object.entries(this.config.networkVlanRanges);
    return [];
  }

  // The lowest free id in the ranges: the range start if free, else just past the first used id whose successor is free.
  private firstFree(type: string, physnet: string, ranges: [number, number][]): number | undefined {
    for (const [lo, hi] of ranges) {
      if (!this.q.used.get(type, physnet, lo)) return lo;
      const row = this.q.gap.get(type, physnet, lo, hi - 1) as { id: number } | undefined;
      if (row) return row.id;
    }
    return undefined;
  }
}
