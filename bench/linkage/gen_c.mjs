#!/usr/bin/env node
// A third record-linkage generator ("style c", issue 16), written apart from `safeguard gen` styles a and b
// so that the linkage can be measured on variation their processes under-represent. Same files as style b:
// records.csv (record_id,source,given_name,middle_names,family_name,dob,sex,postcode,address,nhs_number,upn,
// source_ref) and truth.csv (record_id,child_id,family_id,errors,true_dob), so score.mjs, twins.mjs and
// misses.mjs read it unchanged.
//
//   node bench/linkage/gen_c.mjs --out DIR [--children N] [--seed N] [--scale X]
//
// Its structure, unlike a and b: an *area* draws its agencies, and each agency draws its own recording
// habits at random (date formats and their mix, case, how often a field is left empty, how often names
// land in each other's fields, how often a child is recorded by a middle name, typo rate, whether it
// writes a double-barrelled family name whole): rates differ by agency and area, as the issue says, and are
// not fixed constants. A child's *life* is a timeline (births, a family-name change when a parent
// re-partners, moves), and each contact writes a record from the child's state at that moment through the
// agency's habits. Names come from its own lists plus syllables joined by rule (so most spellings are in
// no table), and their variants are produced by processes, not lists: keyboard-neighbour and phonetic
// typos, transliteration rules applied at random (kh/h, ou/u, y/i, ee/i, q/k, -iy/-y, j/y, ph/f, dh/d...),
// hyphenated family names reduced to either half or reordered, middle names used as given, dates with day
// and month swapped, one part off, year off, a digit slipped, in day-first and year-first shapes. Twins
// (often with alliterative or rhyming names) and close siblings are there to keep precision honest.
// `--scale X` multiplies every error rate an agency draws (capped at 0.9). Only node's built-in modules.
//
// `--namesakes P` (issue 16; default 0, which leaves the files byte for byte as before) gives each child,
// with probability P, a namesake relative: another child with the same given name and family name and a
// different birthday, drawn from a stream of random numbers of its own (so the other children's records
// are the same as without it, only shuffled otherwise). Kinds: a cousin named after a grandparent (another
// family_id; at the same address half the time, a household of two generations), a half- or step-sibling
// (one household), and a sibling given the same first name with another middle name, known by the middle
// name half the time (brothers Muhammad Ali / Muhammad Omar). The rate is a guess (docs/BENCHMARKS.md,
// "Namesakes"): 0.01 for an area, 0.05 to count joins on. truth.csv gives them different child_ids as ever;
// namesakes.csv (only then) lists child_id,namesake_of,kind,same_address for score.mjs --namesakes.
import fs from 'node:fs';
import path from 'node:path';

const a = { out: null, children: '24000', seed: '1', scale: '1', namesakes: '0' };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in a)) { console.error(`gen_c: unknown argument ${process.argv[i]}`); process.exit(2); }
  a[k] = process.argv[++i];
}
if (!a.out) { console.error('usage: node bench/linkage/gen_c.mjs --out DIR [--children N] [--seed N] [--scale X] [--namesakes P]'); process.exit(2); }
const NCHILD = Number(a.children);
const SCALE = Number(a.scale);
const NAMESAKES = Number(a.namesakes);
if (!(NAMESAKES >= 0 && NAMESAKES <= 1)) { console.error(`gen_c: --namesakes ${a.namesakes}: a share between 0 and 1`); process.exit(2); }

// ---- random numbers: xoshiro128** seeded by splitmix32 (same seed, same files everywhere)
let s0, s1, s2, s3;
{
  let x = (Number(a.seed) * 0x9e3779b9) >>> 0;
  const sm = () => { x = (x + 0x9e3779b9) >>> 0; let z = x; z = Math.imul(z ^ (z >>> 16), 0x85ebca6b); z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35); return (z ^ (z >>> 16)) >>> 0; };
  s0 = sm(); s1 = sm(); s2 = sm(); s3 = sm();
}
function u32() {
  const r = Math.imul(((Math.imul(s1, 5) << 7) | (Math.imul(s1, 5) >>> 25)), 9) >>> 0;
  const t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
  return r;
}
const rnd = () => u32() / 4294967296;
const ri = (n) => Math.floor(rnd() * n);
const pick = (v) => v[ri(v.length)];
const chance = (p) => rnd() < p;
const beta = (m, k) => { // a rate with mean m drawn per agency: mean of k uniforms around m, log-spread
  const f = Math.exp((rnd() - 0.5) * 2 * Math.log(k));
  return Math.min(0.9, m * f * SCALE);
};
const poisson = (l) => { let n = 0, p = Math.exp(-l), s = p; const u = rnd(); while (u > s && n < 50) { n++; p *= l / n; s += p; } return n; };

// ---- names: groups, each with given (f/m) and family lists, and syllables for rule-built names
const G = {
  polish: { f: 'Zofia Zuzanna Hanna Julia Maja Lena Alicja Oliwia Natalia Wiktoria Agnieszka Kinga Malgorzata Weronika Jadwiga', m: 'Jakub Szymon Kacper Filip Mateusz Bartosz Wojciech Jan Antoni Piotr Krzysztof Marek Tomasz Lukasz Dawid', fam: 'Kowalski Nowak Wisniewski Wojcik Kaminski Lewandowski Zielinski Szymanski Wozniak Dabrowski Kozlowski Jankowski Mazur Krawczyk Piotrowski Grabowski Pawlak Michalski', syl: 'ka ro sz mi le wo ja ni ek ta bo zy', end: ['ski', 'cz', 'ak', 'ek', 'ka'] },
  yoruba: { f: 'Adeola Folake Titilayo Oluwaseun Abimbola Omolara Temitope Funmilayo Yetunde Bukola Ayomide Damilola Ifeoluwa', m: 'Oluwadamilare Babatunde Adebayo Olumide Oluwafemi Ayodele Oladipo Tunde Segun Kayode Olusegun Adewale Akinwale', fam: 'Adeyemi Ogunleye Adebayo Olawale Okonkwo Balogun Adeleke Ogunbiyi Oyelaran Akinola Oladipo Fashola Adesanya Obi Eze Nwosu', syl: 'ade ola olu ayo fe mi ba tu de kun se gun', end: ['la', 'de', 'yo', 'mi', 'wa'] },
  somali: { f: 'Hodan Ayaan Sahra Nimco Hibaaq Fadumo Ubah Ikran Ladan Sagal Khadra Ilhan Hamdi', m: 'Abdirahman Abdullahi Mahad Guled Liban Bashir Yusuf Hamza Khalid Mukhtar Abdiaziz Farhan Ilyas', fam: 'Farah Hassan Warsame Jama Mohamud Abdi Egal Osman Yusuf Duale Hirsi Ismail Aden Gedi Nur', syl: 'ab di ra xa ma hu ka li sa de qa', end: ['an', 'ad', 'e', 'o', 'iya'] },
  bengali: { f: 'Tahmina Nusrat Sumaiya Farzana Rumana Sharmin Jannatul Tasnim Fahmida Nazia Ruksana Shirin', m: 'Rahim Shahid Tanvir Arif Mahbub Rakib Sajid Imran Zubair Tariq Shakil Nazmul Foysal', fam: 'Begum Uddin Miah Rahman Chowdhury Hoque Ahmed Islam Khatun Sarkar Talukdar Bhuiyan Haque Mollah', syl: 'ra hi ma nu sha ta fi ja bu ru ze', end: ['ul', 'a', 'in', 'ur'] },
  ukrainian: { f: 'Oleksandra Kateryna Yulia Anastasiia Viktoriia Daria Sofiia Yelyzaveta Khrystyna Olha Iryna', m: 'Oleksandr Andrii Mykola Dmytro Yurii Serhii Vasyl Bohdan Maksym Artem Taras Oleh Yevhen', fam: 'Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Oliinyk Shevchuk Polishchuk Lysenko Marchenko Rudenko Savchenko', syl: 'ko va ly ro te ny ol ha ze ma', end: ['enko', 'uk', 'yk', 'ych'] },
  english: { f: 'Isla Poppy Freya Evie Daisy Harper Ruby Phoebe Matilda Imogen Rosie Millie Esme Willow Bethany', m: 'Alfie Harley Reggie Ronnie Archie Teddy Freddie Tommy Bobby Albie Louie Jenson Kian Tyler Callum', fam: 'Hughes Barker Holloway Pickering Ashworth Whitfield Fenwick Lister Bramley Hargreaves Pritchard Sutcliffe Thorne Cartwright Dunmore Ellison Radcliffe Ollerenshaw', syl: 'ash bur wick ton ley hol mer dal stan ford', end: ['ton', 'ley', 'by', 'ham'] },
  vietnamese: { f: 'Ngoc Lan Thao Huong Trang Linh Mai Phuong Hanh Vy Anh Yen', m: 'Minh Duc Quang Tuan Khoa Hieu Thanh Bao Long Nam Huy Phuc', fam: 'Nguyen Tran Le Pham Hoang Vu Dang Bui Do Ho Ngo Duong Ly', syl: 'ng tr th kh ph qu lo vi ha', end: ['an', 'uy', 'anh'] },
  romanian: { f: 'Ioana Andreea Bianca Raluca Alexandra Larisa Denisa Roxana Teodora Madalina Georgiana', m: 'Ionut Andrei Mihai Florin Razvan Bogdan Cosmin Marius Stefan Vlad Catalin Dragos', fam: 'Popescu Ionescu Dumitrescu Stan Stoica Gheorghe Matei Constantin Rusu Munteanu Lazar Moldovan Ciobanu', syl: 'po io du mi ra ce sti gu la vo', end: ['escu', 'anu', 'ea', 'u'] },
  kurdish: { f: 'Rojin Berivan Nazdar Shilan Avin Hevi Dilan Zerin Sozdar Lana', m: 'Rebwar Karwan Soran Hemin Azad Baran Dilshad Kawa Rezhin Shvan', fam: 'Rashid Abdulla Karim Aziz Salih Hamad Qadir Mustafa Faraj Sharif', syl: 'ro be ze ka he di sh va', end: ['an', 'in', 'ar'] },
  eritrean: { f: 'Senait Helen Yordanos Selam Luwam Feven Ruta Mehret Saba Winta', m: 'Yonas Dawit Mebrahtu Tesfay Filmon Biniam Henok Samuel Robel Efrem', fam: 'Tesfamariam Ghebremedhin Kidane Haile Berhane Woldu Tekle Mehari Gebreyesus Asmerom', syl: 'ge bre te ha ki me wo se', end: ['om', 'u', 'e', 'ay'] },
};
for (const g of Object.values(G)) { g.f = g.f.split(' '); g.m = g.m.split(' '); g.fam = g.fam.split(' '); g.syl = g.syl.split(' '); }
const groups = Object.keys(G);
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
function built(g) { // a name no list holds: two or three syllables and an ending, by the group's sound
  let s = ''; const n = 1 + ri(2);
  for (let i = 0; i < n; i++) s += pick(g.syl);
  return cap(s + pick(g.end));
}
function givenOf(g, sex) { return chance(0.75) ? pick(sex === 'F' ? g.f : g.m) : built(g); }
function familyOf(g) { return chance(0.8) ? pick(g.fam) : built(g); }

// ---- variant processes
const KB = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const near = {};
KB.forEach((row, r) => [...row].forEach((c, i) => {
  const n = [];
  if (i > 0) n.push(row[i - 1]);
  if (i + 1 < row.length) n.push(row[i + 1]);
  if (r > 0 && KB[r - 1][i]) n.push(KB[r - 1][i]);
  if (r < 2 && KB[r + 1][i]) n.push(KB[r + 1][i]);
  near[c] = n;
}));
function keepCase(orig, s) { return orig === orig.toUpperCase() ? s.toUpperCase() : s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(); }
function keyTypo(w) { // one keyboard slip, never on the first letter more than rarely
  if (w.length < 3) return w;
  const s = w.toLowerCase(); const i = 1 + ri(s.length - 1); const k = ri(5);
  let o;
  if (k === 0) o = s.slice(0, i) + s.slice(i + 1); // dropped
  else if (k === 1 && i < s.length - 1) o = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2); // transposed
  else if (k === 2) o = s.slice(0, i) + s[i] + s.slice(i); // doubled
  else { const c = s[i]; const n = near[c]; o = n ? s.slice(0, i) + pick(n) + (k === 3 ? s.slice(i + 1) : s.slice(i)) : s; }
  return keepCase(w, o);
}
// transliteration and phonetic respelling rules, both directions; one or two applied where they fit
const RULES = [['kh', 'h'], ['ou', 'u'], ['oo', 'u'], ['ee', 'i'], ['ie', 'y'], ['iy', 'y'], ['ii', 'i'], ['ph', 'f'], ['q', 'k'],
  ['dh', 'd'], ['th', 't'], ['sh', 'sch'], ['j', 'y'], ['w', 'v'], ['ck', 'k'], ['c', 'k'], ['ay', 'ai'], ['ei', 'ay'], ['x', 'kh'],
  ['aa', 'a'], ['ah', 'a'], ['ch', 'tch'], ['z', 's'], ['ts', 'tz'], ['yu', 'iu'], ['ya', 'ia'], ['o', 'u'], ['e', 'a'], ['i', 'e']];
function translit(w) {
  let s = w.toLowerCase(); let done = 0;
  const order = RULES.map((r, i) => [rnd(), i]).sort((x, y) => x[0] - y[0]);
  for (const [, i] of order) {
    const [x, y] = chance(0.5) ? RULES[i] : [RULES[i][1], RULES[i][0]];
    const at = s.indexOf(x, 1);
    if (at < 0) continue;
    s = s.slice(0, at) + y + s.slice(at + x.length);
    if (++done >= 1 + (chance(0.3) ? 1 : 0)) break;
  }
  if (!done) { // a doubled or undoubled consonant: "Folake" / "Follake", "Hannah" / "Hanah"
    const m = s.match(/([bcdfglmnprst])\1/);
    s = m ? s.replace(m[0], m[1]) : s.replace(/([aeiou])([lmnrst])/, '$1$2$2');
  }
  return keepCase(w, s);
}
function shortForm(w) { // the start of a long name, as people shorten them: Oluwadamilare -> Dami? no: Olu / Dami
  if (w.length < 7) return w;
  return chance(0.5) ? cap(w.slice(0, 3 + ri(2)).toLowerCase()) : cap(w.slice(w.length - 4 - ri(2)).toLowerCase());
}

// ---- dates, postcodes, identifiers
const DAY = 86400000;
const T0 = Date.UTC(2025, 5, 1);
const ymd = (t) => { const d = new Date(t); return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]; };
const p2 = (n) => String(n).padStart(2, '0');
const MON = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const FORMATS = [
  ([y, m, d]) => `${p2(d)}/${p2(m)}/${y}`, ([y, m, d]) => `${y}-${p2(m)}-${p2(d)}`, ([y, m, d]) => `${d}/${m}/${y}`,
  ([y, m, d]) => `${p2(d)}-${MON[m - 1]}-${y}`, ([y, m, d]) => `${y}${p2(m)}${p2(d)}`, ([y, m, d]) => `${p2(d)}.${p2(m)}.${y}`,
  ([y, m, d]) => `${y}-${p2(m)}-${p2(d)}T00:00:00`, ([y, m, d]) => `${d} ${cap(MON[m - 1].toLowerCase())} ${y}`, ([y, m, d]) => `${p2(d)}${p2(m)}${y}`,
];
function nhs() {
  for (;;) {
    const d = [1 + ri(9)]; for (let i = 1; i < 9; i++) d.push(ri(10));
    let s = 0; for (let i = 0; i < 9; i++) s += d[i] * (10 - i);
    let c = 11 - (s % 11); if (c === 11) c = 0; if (c === 10) continue;
    return d.join('') + c;
  }
}
const UPNL = 'ABCDEFGHJKLMNPQRTUVWXYZ';
function upn() {
  const r = `${800 + ri(100)}${String(1000 + ri(9000))}${p2(10 + ri(15))}${String(ri(1000)).padStart(3, '0')}`;
  let s = 0; for (let i = 0; i < 12; i++) s += Number(r[i]) * (i + 2);
  return UPNL[s % 23] + r;
}
const STREETS = 'Alder Beech Chapel Dockside Elm Foundry Granary Heathfield Ironworks Juniper Kiln Larch Mill Nettle Orchard Pottery Quarry Rope Saddler Tannery Union Viaduct Weaver Yew'.split(' ');
const KINDS = [['Road', 'Rd'], ['Street', 'St'], ['Lane', 'Ln'], ['Avenue', 'Ave'], ['Terrace', 'Terr'], ['Court', 'Ct']];
const TOWNS = ['Northfold', 'Kirkby Vale', 'Westholme', 'Ashmoor', 'Lowbridge'];
const OUT = ['LS7', 'LS8', 'LS11', 'BD3', 'BD5', 'WF1', 'HX1', 'HD2', 'LS12', 'BD8', 'WF13', 'HD1'];
function home() {
  const k = ri(KINDS.length);
  return { no: 1 + ri(180), flat: chance(0.25) ? 1 + ri(12) : 0, street: pick(STREETS), kind: k, town: pick(TOWNS),
    pc: `${pick(OUT)} ${1 + ri(9)}${pick('ABDEFGHJLNPQRSTUWXYZ')}${pick('ABDEFGHJLNPQRSTUWXYZ')}` };
}

// ---- the area: agencies and their habits, each rate drawn at random around a mean
const AG = [
  ['gp', 1.0, 0.95, 0.05], ['hospital_ed', 0.9, 0.7, 0.02], ['school', 0.8, 0.15, 0.9], ['social_care', 0.5, 0.6, 0.2],
  ['police', 0.35, 0.1, 0.0], ['health_visiting', 0.4, 0.9, 0.0], ['housing', 0.3, 0.03, 0.0], ['camhs', 0.2, 0.85, 0.05],
  ['youth_offending', 0.12, 0.2, 0.3], ['early_years', 0.25, 0.4, 0.1],
].map(([name, reach, nhsRate, upnRate]) => ({
  name, reach, nhsRate: Math.min(0.98, nhsRate * (0.6 + 0.6 * rnd())), upnRate,
  fmt: [ri(FORMATS.length), ri(FORMATS.length)], fmtMix: rnd() * 0.3,
  upper: rnd() < 0.3 ? 0.95 : rnd() * 0.2, lower: rnd() * 0.05,
  typo: beta(0.03, 3), translit: beta(0.04, 4), swapNames: beta(0.012, 5), middleAsGiven: beta(0.05, 4),
  shortGiven: beta(0.01, 4), famHalf: beta(0.3, 2), famOld: beta(0.3, 2), dobSwap: beta(0.015, 4), dobPart: beta(0.01, 4),
  dobYear: beta(0.008, 4), dobDigit: beta(0.008, 4), emptyDob: beta(0.01, 5), emptySex: beta(0.05, 5), emptyAddr: beta(0.1, 4),
  staleAddr: beta(0.2, 2), middleKept: rnd(), sexWord: rnd() < 0.5, abbrev: rnd(), noTown: rnd(),
}));

// ---- families and children
const rows = [];
const truth = [];
let childId = 0, famId = 0;
const kids = []; // every child with its household, for --namesakes (pushing draws no random number)
while (childId < NCHILD) {
  famId++;
  const g = G[pick(groups)];
  const g2 = chance(0.15) ? G[pick(groups)] : g; // a second parent of another group
  let fam = familyOf(g);
  if (chance(0.12)) { let o = familyOf(g2); if (o === fam) o = familyOf(g2); fam = chance(0.5) ? `${fam}-${o}` : `${fam} ${o}`; }
  const moves = [];
  let t = T0 - (300 + ri(6000)) * DAY;
  let h = home();
  while (t < T0) { moves.push({ from: t, home: h }); t += (200 + ri(2500)) * DAY; h = home(); }
  const newFam = chance(0.08) ? { at: T0 - ri(2000) * DAY, name: familyOf(chance(0.5) ? g : G[pick(groups)]) } : null;
  const nkids = 1 + poisson(1.2);
  let born = T0 - (30 + ri(17 * 365)) * DAY;
  const given = new Set();
  for (let k = 0; k < nkids && childId < NCHILD; k++) {
    const twins = chance(0.03) ? 2 + (chance(0.03) ? 1 : 0) : 1;
    let first = null;
    for (let w = 0; w < twins && childId < NCHILD; w++) {
      childId++;
      const sex = chance(0.5) ? 'F' : 'M';
      let gv = givenOf(chance(0.8) ? g : g2, sex);
      if (w > 0 && first && chance(0.4)) { // twins named alike: another name of the group with the same initial
        const same = g.f.concat(g.m).filter((n) => n[0] === first[0] && n !== first);
        if (same.length) gv = pick(same);
      }
      // no two children of a family share a given name, nor one child's middle name another's given name
      for (let tries = 0; given.has(gv) && tries < 20; tries++) gv = givenOf(g, sex);
      given.add(gv);
      if (w === 0) first = gv;
      let middle = '';
      if (chance(0.45)) {
        for (let tries = 0; tries < 20 && (!middle || given.has(middle)); tries++) middle = givenOf(chance(0.5) ? g : g2, sex);
        if (given.has(middle)) middle = '';
        else given.add(middle);
      }
      const dob = ymd(born);
      const child = { id: childId, fam: famId, sex, given: gv, middle, dob, born, known: chance(0.08) && middle ? 'middle' : chance(0.05) ? 'short' : '' };
      const nrec = 1 + poisson(2.3);
      for (let r = 0; r < nrec; r++) write(child, fam, moves, newFam);
      kids.push({ child, fam, moves, newFam, g, g2 });
    }
    born += (330 + ri(1500)) * DAY;
    if (born > T0 - 10 * DAY) break;
  }
}

function write(c, fam0, moves, newFam) {
  let ag = null;
  for (let tries = 0; tries < 20 && !ag; tries++) { const x = pick(AG); if (chance(x.reach)) ag = x; }
  if (!ag) ag = AG[0];
  const when = c.born + rnd() * (T0 - c.born);
  const errs = [];
  // names as the child is known at that moment
  let fam = newFam && when > newFam.at ? newFam.name : fam0;
  if (newFam && when > newFam.at && chance(ag.famOld)) { fam = fam0; }
  if (newFam && fam !== fam0) errs.push('family_changed');
  let given = c.given, middle = c.middle;
  if (c.known === 'middle' && chance(0.6)) { given = c.middle.split(' ')[0]; middle = chance(0.5) ? c.given : ''; errs.push('middle_as_given'); }
  else if (c.middle && chance(ag.middleAsGiven * 0.3)) { given = c.middle.split(' ')[0]; middle = ''; errs.push('middle_as_given'); }
  if ((c.known === 'short' && chance(0.6)) || chance(ag.shortGiven)) { const s = shortForm(given); if (s !== given) { given = s; errs.push('short_given'); } }
  if (/[- ]/.test(fam) && chance(ag.famHalf)) {
    const p = fam.split(/[- ]/); const k = ri(3);
    fam = k === 0 ? p[0] : k === 1 ? p[1] : `${p[1]}${chance(0.5) ? '-' : ' '}${p[0]}`;
    errs.push(k === 2 ? 'family_reordered' : 'family_half');
  }
  if (chance(ag.translit)) { const x = translit(given); if (x !== given) { given = x; errs.push('translit_given'); } }
  if (chance(ag.translit)) { const x = translit(fam); if (x !== fam) { fam = x; errs.push('translit_family'); } }
  if (chance(ag.typo)) { given = keyTypo(given); errs.push('typo_given'); }
  if (chance(ag.typo)) { fam = keyTypo(fam); errs.push('typo_family'); }
  if (!chance(ag.middleKept)) middle = '';
  if (chance(ag.swapNames)) { [given, fam] = [fam, given]; errs.push('swap_names'); }
  const ucase = chance(ag.upper), lcase = !ucase && chance(ag.lower);
  const cs = (s) => (ucase ? s.toUpperCase() : lcase ? s.toLowerCase() : s);
  // date of birth
  let [y, m, d] = c.dob;
  let dobs;
  if (chance(ag.emptyDob)) { dobs = ''; errs.push('dob_empty'); }
  else {
    if (chance(ag.dobSwap) && d <= 12 && d !== m) { [d, m] = [m, d]; errs.push('dob_swap'); }
    else if (chance(ag.dobPart)) { if (chance(0.5)) d = Math.max(1, Math.min(28, d + pick([-2, -1, 1, 2]))); else m = Math.max(1, Math.min(12, m + pick([-1, 1]))); errs.push('dob_part'); }
    else if (chance(ag.dobYear)) { y += pick([-1, 1]); errs.push('dob_year'); }
    const f = FORMATS[ag.fmt[chance(ag.fmtMix) ? 1 : 0]];
    dobs = f([y, m, d]);
    if (chance(ag.dobDigit)) { const ds = [...dobs].map((ch, i) => (/\d/.test(ch) ? i : -1)).filter((i) => i >= 0); const i = pick(ds); dobs = dobs.slice(0, i) + ri(10) + dobs.slice(i + 1); errs.push('dob_digit'); }
  }
  // where the child lived then (or an address the agency never updated)
  let mi = moves.length - 1;
  while (mi > 0 && moves[mi].from > when) mi--;
  if (mi > 0 && chance(ag.staleAddr)) { mi--; errs.push('stale_address'); }
  if (mi > 0) errs.push('moved');
  const h = moves[mi].home;
  let addr = '', pc = '';
  if (!chance(ag.emptyAddr)) {
    const kind = KINDS[h.kind][chance(ag.abbrev) ? 1 : 0];
    addr = `${h.flat ? `Flat ${h.flat}, ` : ''}${h.no} ${h.street} ${kind}${chance(ag.noTown) ? '' : `, ${h.town}`}`;
    pc = chance(0.2) ? h.pc.replace(' ', '').toLowerCase() : h.pc;
    if (ucase) addr = addr.toUpperCase();
  } else errs.push('empty_address');
  const sex = chance(ag.emptySex) ? '' : ag.sexWord ? (c.sex === 'F' ? 'Female' : 'Male') : c.sex;
  if (!c.nhs) c.nhs = nhs();
  if (!c.upn) c.upn = upn();
  const nh = chance(ag.nhsRate) ? (chance(0.5) ? c.nhs : `${c.nhs.slice(0, 3)} ${c.nhs.slice(3, 6)} ${c.nhs.slice(6)}`) : '';
  const up = chance(ag.upnRate) ? c.upn : '';
  const id = rows.length + 1;
  rows.push([id, ag.name, cs(given), cs(middle), cs(fam), dobs, sex, pc, addr, nh, up, `${ag.name.slice(0, 3).toUpperCase()}${100000 + id}`]);
  truth.push([id, c.id, c.fam, errs.join('+'), `${c.dob[0]}-${p2(c.dob[1])}-${p2(c.dob[2])}`]);
}

// ---- namesakes (--namesakes P): from a stream of their own, so the children above are unchanged
const namesakes = [];
if (NAMESAKES > 0) {
  const main = [s0, s1, s2, s3];
  {
    let x = ((Number(a.seed) * 0x9e3779b9) ^ 0x6e616d65) >>> 0; // "name"
    const sm = () => { x = (x + 0x9e3779b9) >>> 0; let z = x; z = Math.imul(z ^ (z >>> 16), 0x85ebca6b); z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35); return (z ^ (z >>> 16)) >>> 0; };
    s0 = sm(); s1 = sm(); s2 = sm(); s3 = sm();
  }
  for (const k of kids) {
    if (!chance(NAMESAKES)) continue;
    const o = k.child;
    const r = rnd();
    const kind = r < 0.4 ? 'cousin' : r < 0.7 ? 'half_sibling' : 'sibling_middle';
    // another birthday, at least two months away, born by 30 days before the files' date and a child then
    // (under 18, as every other child of the file)
    const young = T0 - (30 + 17 * 365) * DAY;
    const bad = (b) => Math.abs(b - o.born) < 60 * DAY || b > T0 - 30 * DAY || b < young;
    let born = o.born;
    for (let tries = 0; tries < 20 && bad(born); tries++)
      born = o.born + (chance(0.5) ? -1 : 1) * (60 + ri(kind === 'cousin' ? 3000 : 2000)) * DAY;
    if (bad(born)) continue;
    let middle = '';
    if (kind === 'sibling_middle' || chance(0.45))
      for (let tries = 0; tries < 20 && (!middle || middle === o.middle || middle === o.given); tries++) middle = givenOf(chance(0.5) ? k.g : k.g2, o.sex);
    if (middle === o.middle || middle === o.given) middle = '';
    if (kind === 'sibling_middle' && !middle) continue;
    const sameAddress = kind !== 'cousin' || chance(0.5);
    let moves = k.moves;
    if (!sameAddress) { // the cousin's own household: its own moves
      moves = [];
      let t = T0 - (300 + ri(6000)) * DAY;
      while (t < T0) { moves.push({ from: t, home: home() }); t += (200 + ri(2500)) * DAY; }
    }
    childId++;
    const fid = kind === 'cousin' ? ++famId : o.fam;
    const known = kind === 'sibling_middle' ? (chance(0.5) ? 'middle' : '') : chance(0.08) && middle ? 'middle' : chance(0.05) ? 'short' : '';
    const c = { id: childId, fam: fid, sex: o.sex, given: o.given, middle, dob: ymd(born), born, known };
    const nrec = 1 + poisson(2.3);
    for (let i = 0; i < nrec; i++) write(c, k.fam, moves, kind === 'cousin' ? null : k.newFam);
    namesakes.push([c.id, o.id, kind, sameAddress ? 1 : 0]);
  }
  [s0, s1, s2, s3] = main;
}

// records in an order that is neither by child nor by agency
for (let i = rows.length - 1; i > 0; i--) { const j = ri(i + 1); [rows[i], rows[j]] = [rows[j], rows[i]]; [truth[i], truth[j]] = [truth[j], truth[i]]; }
for (let i = 0; i < rows.length; i++) { rows[i][0] = i + 1; truth[i][0] = i + 1; }
const q = (v) => `"${String(v).replace(/"/g, '""')}"`;
fs.mkdirSync(a.out, { recursive: true });
fs.writeFileSync(path.join(a.out, 'records.csv'), ['record_id,source,given_name,middle_names,family_name,dob,sex,postcode,address,nhs_number,upn,source_ref', ...rows.map((r) => r.map(q).join(','))].join('\n') + '\n');
fs.writeFileSync(path.join(a.out, 'truth.csv'), ['record_id,child_id,family_id,errors,true_dob', ...truth.map((r) => r.map(q).join(','))].join('\n') + '\n');
if (NAMESAKES > 0) fs.writeFileSync(path.join(a.out, 'namesakes.csv'), ['child_id,namesake_of,kind,same_address', ...namesakes.map((r) => r.join(','))].join('\n') + '\n');
console.error(`gen_c: ${rows.length} records about ${childId} children of ${famId} families in ${a.out}${NAMESAKES > 0 ? ` (${namesakes.length} namesakes)` : ''}`);
