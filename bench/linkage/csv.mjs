// The CSV files of a linkage benchmark (records, truth, clusters, pairs), read by the bench scripts.
// Hand-written because the bench scripts use only node's built-in modules; the files come from
// `safeguard gen` and `safeguard link dedupe`, which never put a line break inside quotes.
import fs from 'node:fs';

/** Splits one CSV line. */
export function split(line) {
  const out = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let f = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (line[q + 1] === '"') { f += line.slice(j, q) + '"'; j = q + 2; continue; }
        f += line.slice(j, q);
        i = q + 2;
        break;
      }
      out.push(f);
    } else {
      let j = line.indexOf(',', i);
      if (j < 0) j = line.length;
      out.push(line.slice(i, j));
      i = j + 1;
    }
  }
  return out;
}

/** A whole file as objects keyed by its header. */
export function table(file) {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l);
  const head = split(lines[0]);
  return lines.slice(1).map((l) => {
    const f = split(l);
    return Object.fromEntries(head.map((h, k) => [h, f[k] ?? '']));
  });
}
