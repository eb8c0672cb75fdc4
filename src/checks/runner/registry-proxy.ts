import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';

/**
 * The install step's only way out of its sandbox (which has no network of its own): an HTTP CONNECT proxy on a
 * Unix socket the sandbox sees, that opens tunnels to the npm registry's host on port 443 and nothing else
 * (not the app's database, not the cloud's metadata address, not another host). Plain HTTP is refused.
 */
export async function startRegistryProxy(socketPath: string, registry: string): Promise<{ close(): Promise<void>; refused: string[] }> {
  const allowed = new URL(registry);
  if (allowed.protocol !== 'https:') throw new Error(`the checks registry must be an https:// URL (NETBOT_CHECKS_REGISTRY is ${registry})`);
  const host = allowed.hostname.toLowerCase();
  const port = Number(allowed.port || 443);
  const refused: string[] = [];
  const tunnels = new Set<{ destroy(): void }>();
  const server: Server = createServer((req, res) => {
    refused.push(`${req.method} ${req.url}`);
    res.writeHead(403).end('netbot: only HTTPS tunnels to the npm registry are allowed\n');
  });
  server.on('connect', (req, client, head) => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url ?? '');
    if (!m || m[1]!.toLowerCase() !== host || Number(m[2]) !== port) {
      refused.push(`CONNECT ${req.url}`);
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  return {
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const socket of tunnels) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs inside the install sandbox (as a file the app writes): listens on the sandbox's own loopback, passes each
 * connection to the proxy's Unix socket, starts the command once listening, and exits with its status.
 */
export const FORWARDER_SOURCE = `import { connect, createServer } from 'node:net';
import { spawn } from 'node:child_process';
const [port, socket, , ...command] = process.argv.slice(2);
const server = createServer((client) => {
  const upstream = connect(socket);
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});
server.listen(Number(port), '127.0.0.1', () => {
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
  child.on('error', (error) => { console.error(error.message); process.exit(127); });
  child.on('exit', (code) => process.exit(code ?? 1));
});
`;
