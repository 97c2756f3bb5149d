// One loopback port that answers both http:// and https:// for any host name,
// in front of `genuine serve`. Real marketplaces are HTTPS, and amazon.com is
// on Chromium's HSTS preload list, so http:// would never reach us: the front
// sniffs the first byte (0x16 starts a TLS handshake), ends TLS with a
// throw-away self-signed certificate, and passes bytes through unchanged, so
// the server's CSP and other headers reach the browser as sent.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function selfSigned() {
  const dir = mkdtempSync(join(tmpdir(), 'genuine-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=genuine e2e', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
}

export async function startFront(upstreamPort) {
  const secureContext = tls.createSecureContext(selfSigned());
  const sockets = new Set();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    sock.once('data', (first) => {
      sock.pause();
      sock.unshift(first);
      const up = net.connect(upstreamPort, '127.0.0.1');
      up.on('error', () => sock.destroy());
      sockets.add(up);
      up.on('close', () => sockets.delete(up));
      // TLSSocket over a net.Socket reads its handle directly and would miss the
      // unshifted first bytes; over a plain Duplex it reads the stream.
      const client =
        first[0] === 0x16
          ? new tls.TLSSocket(Duplex.from({ readable: sock, writable: sock }), { isServer: true, secureContext })
          : sock;
      client.on('error', () => up.destroy());
      client.pipe(up).pipe(client);
      sock.resume();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(null)));
  return {
    port: /** @type {import('node:net').AddressInfo} */ (server.address()).port,
    stop: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
