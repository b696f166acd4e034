// A fixed amount of intake work for bench/intake_cpu.sh: every record of SAFEGUARD_EVENTS sent once, with
// CLIENTS (32) requests in flight on keep-alive connections, each record under its own agency's token.
// Prints "RESULT requests=N non2xx=N duration_us=N p50_us=N p99_us=N".
import http from 'node:http';
import fs from 'node:fs';

const url = new URL(process.argv[2]);
const clients = Number(process.env.CLIENTS || 32);
const lines = fs.readFileSync(process.env.SAFEGUARD_EVENTS, 'utf8').split('\n').filter(Boolean);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const lat = [];
let next = 0, bad = 0;
function send(line) {
  const m = /^\{"agency":"(\w+)","request":(.*)\}$/.exec(line);
  const body = Buffer.from(m[2]);
  const token = process.env['SAFEGUARD_TOKEN_' + m[1].toUpperCase()];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const rq = http.request({ agent, host: url.hostname, port: url.port, path: '/api/v1/events', method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, Authorization: 'Bearer ' + token } },
    (res) => {
      res.resume();
      res.on('end', () => {
        lat.push(Number(process.hrtime.bigint() - t0) / 1000);
        if (res.statusCode >= 300) bad++;
        resolve();
      });
    });
    rq.on('error', reject);
    rq.end(body);
  });
}
async function worker() {
  while (next < lines.length) await send(lines[next++]);
}
const start = process.hrtime.bigint();
await Promise.all(Array.from({ length: clients }, worker));
const dur = Number(process.hrtime.bigint() - start) / 1000;
lat.sort((a, b) => a - b);
const pct = (p) => Math.round(lat[Math.min(lat.length - 1, Math.floor(lat.length * p))]);
console.log(`RESULT requests=${lat.length} errors_status=${bad} duration_us=${Math.round(dur)} p50_us=${pct(0.5)} p99_us=${pct(0.99)}`);
agent.destroy();
