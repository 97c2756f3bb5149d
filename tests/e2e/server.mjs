// Starts the real `genuine serve --demo` on a free port (or the given one, to
// bring a stopped server back where clients expect it) and returns its address.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export async function startServer(root, args = [], { port: wanted = 0 } = {}) {
  const bin = join(root, 'target/debug/genuine');
  const proc = spawn(bin, ['serve', '--demo', '--port', String(wanted), '--root', join(root, 'www'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`genuine serve printed no address: ${out}`)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/on http:\/\/[\d.]+:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => reject(new Error(`genuine serve exited with ${code}: ${out}`)));
  });
  const exited = new Promise((r) => proc.once('exit', r));
  // Resolves once the process is gone (its port free again).
  return { port, stop: () => (proc.kill(), exited) };
}
