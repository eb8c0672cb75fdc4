import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApi, type Api } from './helpers.js';

describe('smoke', () => {
  let api: Api;
  beforeEach(async () => {
    api = await makeApi();
  });
  afterEach(() => api.close());

  it('creates a network, subnet and port', async () => {
    const net = await api.network();
    const sub = await api.subnet(net.id, '10.0.0.0/24');
    const v6 = await api.subnet(net.id, '2001:db8::/64', { ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' });
    const port = await api.port(net.id, { mac_address: 'fa:16:3e:33:44:55' });
    console.log(JSON.stringify({ net, sub, v6, port }, null, 1));
    expect(port.fixed_ips).toEqual([
      { subnet_id: sub.id, ip_address: '10.0.0.2' },
      { subnet_id: v6.id, ip_address: '2001:db8::f816:3eff:fe33:4455' },
    ]);
  });
});
