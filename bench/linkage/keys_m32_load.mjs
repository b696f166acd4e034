// Migration 32's keys against intake's own (issue 17, r-mend19): post the first N records of a linkage set
// (gen_c's records.csv, its dates read as bench/linkage/service_train.mjs reads style c) in order, one at a time,
// through one server of SAFEGUARD_BIN; the area is kept and its database's path printed. Run it with the binary
// before migration 32 and with this one, migrate a copy of the first, then bench/linkage/keys_m32_compare.py.
//   SAFEGUARD_BIN=B node bench/linkage/keys_m32_load.mjs RECORDS.csv N
import fs from 'node:fs';
import { freshArea, parseCsv, postEvent, startServer } from '../../tests/e2e/lib.mjs';
const [file, n] = process.argv.slice(2);
const N = Number(n ?? 30000);
function agencyOf(source) {
  if (/police/.test(source)) return 'police';
  if (/gp|health|hospital|nhs|ambulance/.test(source)) return 'health';
  if (/school|education/.test(source)) return 'education';
  if (/housing/.test(source)) return 'housing';
  return 'social_care';
}
const MON = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
function isoDob(v) { // service_train's isoDobC (style c)
  const p2 = (x) => String(x).padStart(2, '0');
  let m = /^(\d{4})-?(\d\d)-?(\d\d)(T.*)?$/.exec(v);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d\d?)[/.-](\d\d?)[/.-](\d{4})$/.exec(v) ?? /^(\d\d)(\d\d)(\d{4})$/.exec(v);
  if (m) return `${m[3]}-${p2(m[2])}-${p2(m[1])}`;
  m = /^(\d\d?)[ -]([A-Za-z]{3})[ -](\d{4})$/.exec(v);
  if (m && MON.includes(m[2].toLowerCase())) return `${m[3]}-${p2(MON.indexOf(m[2].toLowerCase()) + 1)}-${p2(m[1])}`;
  return '';
}
const sexOf = (v) => (/^[mf]/i.test(v.trim()) ? v.trim()[0].toUpperCase() : '');
const rows = parseCsv(fs.readFileSync(file, 'utf8'));
const h = rows[0]; const col = (r, n) => (h.indexOf(n) >= 0 ? r[h.indexOf(n)] : '');
const records = rows.slice(1, N + 1).filter((r) => r.length === h.length).map((r) => ({
  ref: `R-${col(r, 'record_id')}`, agency: agencyOf(col(r, 'source')),
  subject: { given_name: col(r, 'given_name'), middle_names: col(r, 'middle_names'), family_name: col(r, 'family_name'),
    dob: isoDob(col(r, 'dob')), sex: sexOf(col(r, 'sex')), postcode: col(r, 'postcode'), address: col(r, 'address'),
    nhs_number: col(r, 'nhs_number'), upn: col(r, 'upn') },
}));
const area = freshArea('m19');
const server = await startServer(area.db);
let ok = 0;
for (const r of records) {
  const subject = { ...r.subject };
  for (let i = 0; i < 6; i++) {
    const res = await postEvent(server.url, area.tokens[r.agency], { source_ref: r.ref, kind: 'concern',
      occurred_at: '2025-05-01T10:00:00Z', subject, summary: 'Sent', details: {} });
    if (res.status === 201) { ok++; break; }
    const f = (res.json?.error?.field ?? '').replace(/^subject\./, '');
    if (!f || !(f in subject) || subject[f] === '') break;
    subject[f] = '';
  }
}
await server.stop();
console.log(`posted ${ok} of ${records.length} into ${area.db}`);
