#!/usr/bin/env node
// A fourth record-linkage generator, style d (issue 16), written apart from `safeguard gen` (a, b) and
// gen_c.mjs (c), from another model of the world: records are not drawn per child and then damaged; they
// arise from ENCOUNTERS. A household lives through time (births, partners, moves, a remarriage, cousins
// taken in); on each date something happens (a birth, a GP registration, a school entry or transfer, an
// A&E attendance, a police call-out at the house, a housing tenancy, a social care referral) and the agency
// involved writes a record for each child it meets, from what it is told, in its own conventions, about the
// child as the child is on that date (name, address, school id at that date).
//
//   node bench/linkage/gen_d.mjs --out DIR [--families N] [--seed S] [--today YYYY-MM-DD]
//                                [--scale FACTOR=X ...]   (errors=X scales every error rate at once)
//
// Writes DIR/records.csv (record_id,source,given_name,middle_names,family_name,dob,sex,postcode,address,
// nhs_number,upn,source_ref, as `safeguard gen` writes) and DIR/truth.csv (record_id,child_id,family_id,
// errors,true_dob). family_id is the child's mother: full, half and twin siblings share it; step-siblings
// and cousins in one house do not. errors lists what the agency's process did to that record ("+"-joined).
// Default 7,000 families (~80k records), seed 1, today 2025-06-01 (never the machine's clock). Same seed,
// same files. Only node's built-in modules.
//
// The model, in short:
// - Heritages, each with its own naming convention and its own rules of spelling: English (known-as names
//   cut from the given name, -y/-ie forms), Arabic/South Asian Muslim (boys named Muhammad + a calling name;
//   vowels, doubled letters, -ah/-a, q/k, kh/k, ee/i, oo/u spelt as heard), Yoruba (Oluwaseun -> Seun,
//   family name first on some forms), Polish (diacritics dropped, sz/sh, w/v, -ski/-ska by sex), Somali
//   (the "family name" is the father's given name, or the grandfather's; x/h, c/-, aa/a), Chinese (family name
//   first, two-syllable given names joined, spaced or hyphenated, an English name at school), Punjabi Sikh
//   (Kaur/Singh in the family field or beside it), Romanian and Turkish (diacritics dropped or spelt out),
//   Portuguese (two family names, either kept). Variants are made by these rules, per record, not listed.
// - Families: a mother, a first partner (the father), a second partner for some (half-siblings under his
//   name, his own children from before as step-siblings under theirs), a marriage that changes the older
//   children's family name (or double-barrels it), twins and triplets (same initial, rhyming, or one letter
//   apart), cousins taken in (sometimes of one given and family name as a child of the house), families who
//   arrived from abroad (no birth record, the NHS number at arrival), moves on a timeline.
// - Agencies and their error processes (a factor each, --scale): A&E (name as spoken, date estimated, NHS
//   number often missing or a sibling's, day/month swapped by a triage system), GP (legal name, NHS number,
//   the address of registration kept after a move), school (the preferred name as forename, the new
//   partner's family name before any legal change, a temporary UPN after a transfer), police (names from a
//   caller, the household head's family name, an age instead of a date, the incident's address), housing
//   (the tenant's family name for every child, years for dates), social care (careful; a double-barrelled
//   name after a remarriage), maternity (Baby + the mother's family name at birth).
import fs from 'node:fs';
import path from 'node:path';

// ---------------------------------------------------------------- options
const FACTORS = {
  as_heard: 1,        // names spelt as heard (A&E, police), by the heritage's rules
  translit: 1,        // another written transliteration (GP, social care from documents)
  known_as: 1,        // the preferred / calling / English name written as the forename
  typo: 1,            // keyboard slips
  name_order: 1,      // family name first (forms, heritages that put it first)
  dob_estimate: 1,    // a date estimated from an age or a year
  dob_swap: 1,        // day and month swapped (a system reading the other order)
  dob_missing: 1,     // no date written
  nhs_missing: 1,     // NHS number not written where the agency could
  nhs_sibling: 1,     // a sibling's NHS number (A&E, from the family's other child)
  head_name: 1,       // the household head's family name for a child (housing, police)
  incident_address: 1,// police: the incident's address, not home
  stale_address: 1,   // an old address after a move
  family_convention: 1, // Somali grandfather's name, Sikh Kaur/Singh, Portuguese half, Polish ending
  baby: 1,            // maternity: "Baby" for the given name, the mother's family name
  temp_upn: 1,        // school: a temporary UPN after a transfer
  early_name: 1,      // school/police: the new partner's family name before any change
  remarriage: 1,      // a second partner's marriage that renames the older children
  moves: 1,           // household moves
  twins: 1,           // twin and triplet births
  cousins: 1,         // cousins taken in (and cousins of one name)
  step: 1,            // second partners and their children
  encounters: 1,      // encounters per child (records per child)
};
const ERROR_FACTORS = ['as_heard', 'translit', 'known_as', 'typo', 'name_order', 'dob_estimate', 'dob_swap',
  'dob_missing', 'nhs_missing', 'nhs_sibling', 'head_name', 'incident_address', 'stale_address',
  'family_convention', 'baby', 'temp_upn', 'early_name'];

function usage(msg) {
  if (msg) console.error(`gen_d: ${msg}`);
  (msg ? console.error : console.log)('usage: node bench/linkage/gen_d.mjs --out DIR [--families N] [--seed S] ' +
    '[--today YYYY-MM-DD] [--scale FACTOR=X ...]\nfactors: ' + Object.keys(FACTORS).join(' ') + ' (errors=X: every error rate)');
  process.exit(msg ? 2 : 0);
}
const opt = { out: null, families: 7000, seed: 1, today: '2025-06-01' };
const scale = { ...FACTORS };
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i];
  const v = process.argv[i + 1];
  if (k === '--help' || k === '-h') usage();
  if (v === undefined) usage(`${k} needs a value`);
  i++;
  if (k === '--out') opt.out = v;
  else if (k === '--families') opt.families = Number(v);
  else if (k === '--seed') opt.seed = Number(v);
  else if (k === '--today') opt.today = v;
  else if (k === '--scale') {
    const m = /^([a-z_]+)=([0-9.]+)$/.exec(v);
    if (!m || !(Number(m[2]) > 0 && Number(m[2]) <= 100)) usage(`bad --scale ${v}`);
    if (m[1] === 'errors') for (const f of ERROR_FACTORS) scale[f] *= Number(m[2]);
    else if (m[1] in FACTORS) scale[m[1]] *= Number(m[2]);
    else usage(`unknown factor ${m[1]}`);
  } else usage(`unknown argument ${k}`);
}
if (!opt.out) usage('--out is required');
if (!(opt.families >= 1) || !Number.isInteger(opt.families)) usage('--families must be a positive integer');
if (!/^\d{4}-\d{2}-\d{2}$/.test(opt.today)) usage('--today must be YYYY-MM-DD');

// ---------------------------------------------------------------- random numbers (sfc32, seeded by splitmix32)
function makeRng(seed) {
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix(), b = mix(), c = mix(), d = mix();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}
const rnd = makeRng(opt.seed * 2654435761 + 12345);
const int = (n) => Math.floor(rnd() * n);
const chance = (p) => rnd() < p;
const pick = (a) => a[int(a.length)];
function poisson(l) {
  if (l <= 0) return 0;
  if (l > 30) return Math.max(0, Math.round(l + Math.sqrt(l) * normal()));
  const L = Math.exp(-l);
  let k = 0, p = 1;
  do { k++; p *= rnd(); } while (p > L && k < 200);
  return k - 1;
}
function normal() {
  const u = Math.max(rnd(), 1e-12), v = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
/** A Zipf-like pick: the list's first names are the commonest. */
const zipfCache = new Map();
function zipf(list) {
  let cum = zipfCache.get(list);
  if (!cum) {
    cum = new Float64Array(list.length);
    let t = 0;
    for (let i = 0; i < list.length; i++) { t += 1 / Math.pow(i + 1.5, 0.9); cum[i] = t; }
    for (let i = 0; i < list.length; i++) cum[i] /= t;
    zipfCache.set(list, cum);
  }
  const r = rnd();
  let lo = 0, hi = cum.length - 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] < r) lo = mid + 1; else hi = mid; }
  return list[lo];
}
/** An error rate scaled by its factor (capped below 1). */
const rate = (p, f) => Math.min(0.95, p * scale[f]);

// ---------------------------------------------------------------- dates (whole days since 1970-01-01, UTC)
const DAY = 86400000;
const dayOf = (y, m, d) => Math.floor(Date.UTC(y, m - 1, d) / DAY);
const ymd = (day) => { const t = new Date(day * DAY); return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()]; };
const [ty, tm, td] = opt.today.split('-').map(Number);
const TODAY = dayOf(ty, tm, td);
const YEAR = 365.25;
const ageAt = (dob, day) => { const [y1, m1, d1] = ymd(dob), [y2, m2, d2] = ymd(day); return y2 - y1 - ((m2 < m1 || (m2 === m1 && d2 < d1)) ? 1 : 0); };
const p2 = (n) => String(n).padStart(2, '0');
const iso = (day) => { const [y, m, d] = ymd(day); return `${y}-${p2(m)}-${p2(d)}`; };

// ---------------------------------------------------------------- names by heritage
const L = (s) => s.trim().split(/\s+/);
const H = {
  en: { w: 0.44,
    m: L(`Oliver George Harry Jack Noah Charlie Jacob Thomas Oscar William James Leo Alfie Henry Joshua Freddie
      Archie Ethan Isaac Alexander Joseph Edward Samuel Max Daniel Arthur Lucas Logan Theo Harrison Benjamin
      Mason Sebastian Finley Dylan Tyler Riley Jayden Kai Callum Kieran Connor Liam Declan Rhys Owen Lewis
      Reuben Albie Ronnie Frankie Teddy Louie Jenson Hunter Rory Ezra Elijah Toby Jude Carter Brody Ellis
      Kyle Bradley Jordan Aaron Nathan Ryan Jamie Brandon Corey Lennon Tommy Stanley Alfred Jesse Felix`),
    f: L(`Olivia Amelia Isla Ava Emily Isabella Mia Poppy Ella Lily Sophia Grace Evie Charlotte Jessica Freya
      Sophie Daisy Alice Ruby Florence Millie Scarlett Phoebe Chloe Eleanor Matilda Harriet Rosie Layla Maisie
      Erin Niamh Caitlin Megan Bethany Courtney Kayleigh Jasmine Paige Leah Hannah Abigail Imogen Esme
      Willow Aria Violet Ivy Elsie Sienna Luna Ada Eliza Ellie Harper Aurora Lottie Orla Maya Robyn Summer
      Lacey Tilly Beatrix Darcie Hollie Kacey Shannon Tegan Brooke Amber Jade Libby Nancy Rose Edith Mabel`),
    fam: L(`Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright
      Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill
      Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker
      Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy
      Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman
      Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight
      Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Doherty Gallagher Byrne Quinn`) },
  ar: { w: 0.15,
    m: L(`Muhammad Ali Ibrahim Yusuf Umar Hamza Bilal Zakariya Ayaan Hassan Hussain Abdullah Ismail Sulaiman
      Zayd Idris Yahya Musa Haroon Rayyan Imran Tariq Faisal Junaid Adnan Khalid Saad Raheem Qasim Harith`),
    f: L(`Aisha Maryam Fatimah Zainab Khadijah Hafsah Amina Safiyyah Ruqayyah Sumayyah Hajra Noor Iqra Zahra
      Anisa Hania Inaya Laiba Maheen Mehreen Nusaybah Rukhsana Shabana Tasneem Yasmin Aleena Samira Halima`),
    fam: L(`Khan Hussain Ahmed Ali Akhtar Mahmood Iqbal Rashid Aslam Mirza Qureshi Chaudhry Siddiqui Rahman
      Uddin Begum Malik Butt Sheikh Shah Haq Javed Saleem Raza Farooq Anwar Yousaf Hanif Karim Nawaz`) },
  yo: { w: 0.06,
    m: L(`Oluwaseun Oluwatobi Ayodele Adebayo Oluwadamilare Olumide Babatunde Oluwafemi Adewale Olaoluwa
      Temitope Ayomide Oluwakayode Adeyinka Olalekan Chinedu Emeka Obinna Ifeanyi Chukwuemeka`),
    f: L(`Oluwaseyi Adeola Oluwabunmi Folasade Oluwafunmilayo Ayotunde Omolara Temilade Oluwakemi Adaeze
      Chiamaka Ngozi Oluwatoyin Adesuwa Ifeoma Oluwatoni Abimbola Yetunde Olayinka Chidinma`),
    fam: L(`Adeyemi Okafor Ogunleye Adebayo Oyelaran Okonkwo Balogun Afolabi Ogunbiyi Eze Nwosu Adeleke
      Olawale Akinola Ibekwe Onyeka Fashola Adegoke Olatunji Obi`) },
  pl: { w: 0.07,
    m: L(`Jakub Kacper Szymon Wojciech Mateusz Bartłomiej Michał Paweł Łukasz Krzysztof Piotr Tomasz Jan
      Wiktor Oskar Filip Dawid Maciej Sebastian Stanisław`),
    f: L(`Zuzanna Julia Łucja Małgorzata Wiktoria Katarzyna Agnieszka Joanna Zofia Natalia Aleksandra Maja
      Weronika Magdalena Alicja Oliwia Gabriela Dominika Hanna Paulina`),
    fam: L(`Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak
      Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski`) },
  so: { w: 0.04,
    m: L(`Maxamed Cabdi Xasan Cali Axmed Yuusuf Cumar Ismaaciil Ibraahim Faarax Cabdullaahi Mustafe Abshir
      Guuleed Warsame Jaamac Xuseen Siciid Aadan Nuur`),
    f: L(`Faadumo Xaliimo Hodan Sahra Ayaan Deeqa Nasteexo Ifrah Hibaaq Sucaad Ubax Maryan Khadra Caasha
      Nimco Fartuun Ladan Sagal Hamdi Idil`) },
  zh: { w: 0.03,
    syl: L(`zi hao yu xin yi jia ming wei jun lin mei hui yan xiao chen rui tian ning qing bo kai yue an le`),
    fam: L(`Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo`) },
  pa: { w: 0.04,
    m: L(`Harpreet Gurpreet Jaspreet Manpreet Arjun Harjot Gurdeep Simranjit Amandeep Jasdeep Rajveer Karanveer
      Harvinder Sukhdeep Navdeep Ekam Fateh Jujhar`),
    f: L(`Harpreet Gurpreet Jaspreet Manpreet Simran Amandeep Navneet Jasleen Harleen Gurleen Rajveer Kiranjit
      Sukhmani Jasmeet Mehak Prabhleen Ekamjot Noor`),
    fam: L(`Sandhu Gill Dhillon Sidhu Grewal Bains Johal Sangha Atwal Kang Virdi Bhamra Sahota Randhawa`) },
  ro: { w: 0.05,
    m: L(`Andrei Ștefan Ionuț Alexandru Mihai Răzvan Florin Cristian Gheorghe Vasile Bogdan Daniel Marius Costel
      Adrian Nicolae`),
    f: L(`Andreea Ioana Elena Maria Alexandra Bianca Denisa Roxana Mădălina Larisa Cristina Florentina Alina
      Georgiana Loredana Nicoleta`),
    fam: L(`Popescu Ionescu Popa Stan Dumitru Stoica Gheorghe Rusu Munteanu Matei Constantin Marin Lungu Ștefan
      Tănase Dinu Lăcătuș Căldăraru`) },
  tr: { w: 0.04,
    m: L(`Mustafa Mehmet Emre Yusuf Eymen Ömer Çağan Burak Kerem Barış Doğan Ahmet Hüseyin Serkan Rojhat Şivan`),
    f: L(`Zeynep Elif Ecrin Defne Eylül Azra Nehir Büşra Gülşen Şeyma Özlem Çiğdem Rojda Berfin Hazal`),
    fam: L(`Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin
      Kurt Koç Güneş`) },
  pt: { w: 0.04,
    m: L(`João Rodrigo Tiago Gonçalo Diogo Rafael Gustavo Miguel Lucas Martim Duarte Vicente Thiago Enzo`),
    f: L(`Beatriz Mariana Leonor Matilde Inês Carolina Gabriela Larissa Letícia Sofia Camila Yasmin Lara`),
    fam: L(`Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Sousa Fernandes Gonçalves Gomes
      Lopes Marques Alves Almeida Ribeiro Pinto Carvalho Teixeira`) },
};
const HERITAGES = Object.keys(H);
const HCUM = (() => { let t = 0; return HERITAGES.map((h) => (t += H[h].w)); })();
const pickHeritage = () => { const r = rnd() * HCUM[HCUM.length - 1]; return HERITAGES[HCUM.findIndex((c) => r < c)]; };
const cap = (s) => s.replace(/(^|[\s\-'])(\p{L})/gu, (m, a, b) => a + b.toUpperCase());

/** A given name of the heritage and sex. */
function givenName(h, sex) {
  if (h === 'zh') {
    const a = pick(H.zh.syl); let b = pick(H.zh.syl);
    if (b === a) b = pick(H.zh.syl);
    return cap(a + ' ' + b).replace(' ', '\u0001'); // the syllable boundary, written per record
  }
  return zipf(sex === 'M' ? H[h].m : H[h].f);
}
// The long tail of family names: English and Polish ones built from parts (Holroyd, Sutcliffe; Wróblewski),
// as an area's thousands of rarer names are.
const EN_PRE = L(`Ash Brad Hol Sut Ack Bar Black Brook Butter Cart Clay Crow Dews Farn Green Hart Hay Heath Hold Kirk
  Lang Lock Long Marsh Mid Moor North Old Ox Rams Red Ross South Stan Stock Thorn Wad Whit Wood Wolsten Brig Ather
  Bent Cross Grims Lums Ing Hors Kil Bram Sun Ward`);
const EN_SUF = L(`worth ley royd cliffe ton field by well shaw ham den wood thwaite bottom house croft stall ridge hurst
  stone ford ington wick`);
const PL_STEM = L(`Kowal Nowa Wiśni Kami Lewand Zieli Szyma Dąbr Kozł Jank Kwiatk Piotr Grab Pawł Wróbl Sobcz Czarn
  Mich Krup Jas Maj Bił Wiecz Ostr Gór Łuk Zaj Marc Stęp Rut Król Wal Bor Sad Kub`);
const PL_SUF = L(`ski ewski owski czyk ak ek iak ewicz`);
function familyName(h) {
  if (h === 'so') return zipf(H.so.m);          // a father's given name, which is his children's family name
  if (h === 'zh') return zipf(H.zh.fam);
  if (h === 'en' && chance(0.45)) return pick(EN_PRE) + pick(EN_SUF);
  if (h === 'pl' && chance(0.5)) return pick(PL_STEM) + pick(PL_SUF);
  return zipf(H[h].fam);
}

// ---------------------------------------------------------------- spelling rules (variants made, not listed)
// Each rule: [regex on the lower-case name, replacements]; a clerk applies each rule that matches with a
// probability, choosing one replacement, so one name has many writings and two clerks seldom agree.
const R = (re, ...to) => [re, to];
const EAR = [ // how an English ear writes a name it hears
  R(/ph/g, 'f'), R(/f(?=[aeiou])/g, 'ph'), R(/ck/g, 'k', 'c'), R(/c(?=[aou])/g, 'k'), R(/k(?=[aou])/g, 'c'),
  R(/(ie|y)$/g, 'ey', 'i', 'ee', 'ie', 'y'), R(/ay/g, 'ai', 'ey', 'ae'), R(/ei/g, 'ay', 'ee'), R(/ee/g, 'ea', 'i'),
  R(/([bdglmnprt])\1/g, '$1'), R(/([aeiou])([bdlmnprt])(?=[aeiouy])/g, '$1$2$2'), R(/th/g, 't'), R(/e$/g, ''),
  R(/([aeiou])s(?=[aeiou])/g, '$1z'), R(/z/g, 's'), R(/ou/g, 'oo', 'u'), R(/oo/g, 'u', 'ou'), R(/leigh$/g, 'lee', 'ley', 'lie'),
  R(/^j(?=[aeiou])/g, 'g'), R(/x/g, 'ks'), R(/ae/g, 'ay', 'e'), R(/yn/g, 'in'), R(/i(?=[^aeiou]*e?$)/g, 'y'),
];
const HR = {
  ar: [R(/^muhammad$/g, 'mohammed', 'mohammad', 'mohamed', 'muhammed', 'mohamad', 'mohd', 'mahomed'),
    R(/u/g, 'o', 'ou'), R(/a(?=[^aeiou]+$)/g, 'e'), R(/([bdfhjklmnqrstwyz])\1/g, '$1'), R(/iy/g, 'i', 'ee', 'y'),
    R(/ah$/g, 'a', 'ha'), R(/a$/g, 'ah'), R(/q/g, 'k'), R(/kh/g, 'k', 'h'), R(/ee/g, 'i'), R(/i(?=[^aeiou])/g, 'ee', 'e'),
    R(/oo/g, 'u'), R(/aa/g, 'a'), R(/dh/g, 'z', 'd'), R(/z/g, 'dh', 's'), R(/ay/g, 'ai', 'ei'),
    R(/^(abd)(?=[a-z])/g, 'abdul', 'abdel', 'abd-'), R(/y/g, 'i', 'ie'), R(/sh/g, 'ch'), R(/aa?/g, 'aa')],
  yo: [R(/^(oluwa|olu|ade|ayo|ola|temi)(?=[a-z]{3})/g, ''), R(/ou/g, 'u'), R(/([aeiou])([aeiou])/g, '$1'),
    R(/sh/g, 's'), R(/s(?=[aeiou])/g, 'sh'), R(/(un|in|on)$/g, 'u', 'i', 'o'), R(/kw/g, 'qu'), R(/ch/g, 'c'),
    R(/ny/g, 'ni'), R(/e/g, 'é', 'ẹ'), R(/o/g, 'ọ', 'ó')],
  pl: [R(/ł/g, 'l', 'w'), R(/ś/g, 's', 'sh'), R(/[żź]/g, 'z', 'zh'), R(/ó/g, 'o', 'u'), R(/ą/g, 'a', 'on'),
    R(/ę/g, 'e', 'en'), R(/ć/g, 'c', 'ch'), R(/ń/g, 'n'), R(/sz/g, 'sh', 's'), R(/cz/g, 'ch', 'tch'),
    R(/w/g, 'v'), R(/^j/g, 'y'), R(/ch/g, 'h', 'k'), R(/rz/g, 'zh', 'sz', 'r'), R(/ie/g, 'ye', 'e'), R(/ki$/g, 'ky', 'kie')],
  so: [R(/x/g, 'h', ''), R(/^c/g, 'a', ''), R(/c/g, "'", ''), R(/aa/g, 'a'), R(/ii/g, 'i', 'ee'), R(/uu/g, 'u', 'oo'),
    R(/ee/g, 'e', 'i'), R(/oo/g, 'o', 'u'), R(/^maxamed$/g, 'mohamed', 'mohammed', 'mahamed'), R(/q/g, 'k', 'g'),
    R(/dh/g, 'd'), R(/o/g, 'u'), R(/([aeiou])$/g, '$1h')],
  zh: [R(/x/g, 'sh', 'hs'), R(/q/g, 'ch'), R(/zh/g, 'j', 'ch'), R(/ui/g, 'uei', 'wei'), R(/ao/g, 'ow', 'au'),
    R(/ang/g, 'ong')],
  pa: [R(/preet/g, 'prit', 'pret'), R(/deep/g, 'dip'), R(/jit/g, 'jeet'), R(/ee/g, 'i'), R(/v/g, 'w'),
    R(/aa/g, 'a'), R(/k/g, 'q'), R(/([aeiou])n(?=[dt])/g, '$1'), R(/h(?=[^aeiou])/g, '')],
  ro: [R(/ș/g, 's', 'sh'), R(/ț/g, 't', 'ts'), R(/[ăâ]/g, 'a', 'e'), R(/î/g, 'i', 'a'), R(/escu$/g, 'esku', 'esco'),
    R(/ea/g, 'ia', 'e'), R(/ii$/g, 'i'), R(/c(?=[ei])/g, 'ch'), R(/gh/g, 'g')],
  tr: [R(/ş/g, 's', 'sh'), R(/ç/g, 'c', 'ch'), R(/ğ/g, '', 'g'), R(/ı/g, 'i', 'u'), R(/ö/g, 'o', 'oe'), R(/ü/g, 'u', 'ue'),
    R(/c/g, 'j', 'dj'), R(/y$/g, 'i'), R(/e(?=[^aeiou]+$)/g, 'a')],
  pt: [R(/ç/g, 'c', 's'), R(/[ãâá]/g, 'a'), R(/[éê]/g, 'e'), R(/[íì]/g, 'i'), R(/[óôõ]/g, 'o'), R(/ú/g, 'u'),
    R(/th/g, 't'), R(/lh/g, 'll', 'li'), R(/nh/g, 'n', 'ny'), R(/s(?=[aeiou])/g, 'z'), R(/o$/g, 'u')],
  en: [],
};
/** Writes name (proper case) as a clerk of the heritage's rules and the English ear would, each rule with
 *  probability p; returns [written, changed]. */
function spell(name, h, p, ear) {
  if (!name) return [name, false];
  let s = name.toLowerCase();
  const rules = ear ? (HR[h] || []).concat(EAR) : (HR[h] || []);
  for (const [re, to] of rules) {
    re.lastIndex = 0;
    if (!re.test(s) || !chance(p)) continue;
    re.lastIndex = 0;
    const t = pick(to);
    const next = s.replace(re, t);
    if (next.length >= 2) s = next;
  }
  s = cap(s);
  return [s, s.toLowerCase() !== name.toLowerCase()];
}
/** A name with its diacritics dropped (a keyboard without them). */
const plain = (s) => s.replace(/ł/g, 'l').replace(/Ł/g, 'L').replace(/ı/g, 'i').normalize('NFD').replace(/\p{M}/gu, '');
/** A name as one agency writes it: the Chinese syllable break as brk ('' joins: Zihan; ' ' or '-': Zi Han,
 *  Zi-han), its diacritics dropped when the keyboard has none. */
function writeName(s, ascii, brk) {
  s = s.replace(/\u0001(\p{L})/gu, (m, ch) => (brk === '' ? ch.toLowerCase() : brk + (brk === ' ' || chance(0.5) ? ch.toUpperCase() : ch.toLowerCase())));
  s = s.replace(/\u0001/g, '');
  return ascii ? plain(s) : s;
}
const KEYS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
function typo(s) {
  if (s.length < 3) return s;
  const i = 1 + int(s.length - 1);
  const k = int(4);
  if (k === 0) return s.slice(0, i) + s.slice(i + 1);                        // a letter dropped
  if (k === 1 && i < s.length - 1) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2); // two swapped
  if (k === 2) return s.slice(0, i) + s[i] + s.slice(i);                      // a letter doubled
  const c = s[i].toLowerCase();
  for (const row of KEYS) {
    const j = row.indexOf(c);
    if (j >= 0) { const n = row[j + (j > 0 && chance(0.5) ? -1 : 1)] ?? row[j - 1]; return s.slice(0, i) + n + s.slice(i + 1); }
  }
  return s;
}
/** The form a child is called by, cut from the given name by rule: the first syllable, then -y/-ie. */
function shortForm(name) {
  const s = name.toLowerCase().replace(/\u0001.*/, '');
  const m = /^([^aeiouy]*[aeiouy]+)([^aeiouy])?/.exec(s);
  if (!m) return null;
  let cut = m[1] + (m[2] ?? '');
  if (cut.length < 3) {
    const rest = s.slice(cut.length);
    const n = /^([aeiouy]+)([^aeiouy])?/.exec(rest);
    if (n) cut += n[1] + (n[2] ?? '');
  }
  if (cut === s || cut.length < 2) return null;
  if (chance(0.45) && /[^aeiouy]$/.test(cut)) cut += (chance(0.5) ? cut.slice(-1) : '') + pick(['y', 'ie']);
  return cap(cut);
}

// ---------------------------------------------------------------- identifiers and places
function nhsNumber() {
  for (;;) {
    const d = Array.from({ length: 9 }, () => int(10));
    if (d[0] === 0) d[0] = 4;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += d[i] * (10 - i);
    const c = 11 - (sum % 11);
    if (c === 10) continue;
    d.push(c === 11 ? 0 : c);
    return d.join('');
  }
}
// A UPN (DfE): a check letter, the authority's 3 digits, the school's 4, the year's 2, a serial of 3; a
// temporary one ends in a letter. The check letter: characters 2-13 weighted 2-13 (a letter by its place in
// the 23 letters without I, O, S), the sum mod 23 as one of those letters.
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
function upnWithCheck(body) {
  let sum = 0;
  for (let i = 0; i < 12; i++) { const ch = body[i]; sum += (i + 2) * (/\d/.test(ch) ? Number(ch) : UPN_LETTERS.indexOf(ch)); }
  return UPN_LETTERS[sum % 23] + body;
}
const LA = String(100 + int(900));
const upn = () => upnWithCheck(LA + String(2000 + int(8000)) + p2(int(100)) + String(int(1000)).padStart(3, '0'));
const tempUpn = () => upnWithCheck(LA + String(2000 + int(8000)) + p2(int(100)) + String(int(100)).padStart(2, '0') + pick(UPN_LETTERS));
const STREETS = L(`Acre Albion Alder Ash Beacon Beech Bolton Bradford Brook Canal Carlton Chapel Cherry Church Clarence
  Cliffe Clough Coronation Crossley Dale Delph Elm Fern Field Garden Gibbet Halifax Hanson Heath Hebble Highfield
  Hollins Holme Hope Hyde Ivy King Lister Lodge Manor Marsh Mill Moor Mount Nelson Northgate Oak Orchard Park
  Pellon Queens Raglan Ripon Rose Savile Shaw Skircoat Southowram Spring Station Sunny Union Victoria Wade Warley
  Water Well West Wheatley Willow Woodhouse Wren`);
const KINDS = [['Street', 'St'], ['Road', 'Rd'], ['Lane', 'Ln'], ['Avenue', 'Ave'], ['Terrace', 'Terr'], ['Close', 'Cl'],
  ['Grove', 'Gr'], ['Crescent', 'Cres'], ['Drive', 'Dr'], ['Court', 'Ct']];
const OUTWARD = ['HX1', 'HX2', 'HX3', 'HX4', 'HX5', 'HX6', 'HX7', 'BD12', 'BD13', 'BD19', 'HD6', 'OL14', 'WF17'];
function newAddress() {
  const st = pick(STREETS), k = pick(KINDS), out = pick(OUTWARD);
  const flat = chance(0.2) ? 1 + int(12) : 0;
  return { n: 1 + int(180), st, k, flat,
    pc: `${out} ${1 + int(9)}${pick('ABDEFGHJLNPQRSTUWXYZ')}${pick('ABDEFGHJLNPQRSTUWXYZ')}` };
}
/** An address as an agency writes it: full or abbreviated street kind, the flat before or after. */
function writeAddress(a, style) {
  const kind = style === 'short' ? a.k[1] : a.k[0];
  const street = `${a.n} ${a.st} ${kind}`;
  if (!a.flat) return street;
  return style === 'short' ? `${a.flat}/${street}` : `Flat ${a.flat}, ${street}`;
}

// ---------------------------------------------------------------- the world
let nextChild = 1;
let nextMother = 1;
const children = [];   // every child
const households = []; // every household

function newChild(mother, h, sex, dob, fam) {
  const c = { id: nextChild++, mother, h, sex, dob, given: '', middle: '', fam, famHist: [], knownAs: '',
    nhs: '', nhsFrom: 0, upn: '', upnFrom: 0, arrived: 0, hh: null, from: dob, sibs: [] };
  children.push(c);
  return c;
}
/** Names a child by the heritage's convention (the middle name, a calling name). */
function nameChild(c, father) {
  const h = c.h;
  c.given = givenName(h, c.sex);
  if (h === 'ar' && c.sex === 'M' && chance(0.35)) {        // Muhammad + the name the boy is called by
    let call = givenName('ar', 'M');
    if (call === 'Muhammad') call = 'Ali';
    c.given = 'Muhammad'; c.middle = call; c.knownAs = call;
  } else if (h === 'so') {
    c.middle = father.given;                                // the father's name, then the grandfather's
    c.grand = father.middle || givenName('so', 'M');
  } else if (h === 'pa') {
    c.middle = c.sex === 'M' ? 'Singh' : 'Kaur';
  } else if (chance(h === 'en' ? 0.7 : 0.4)) {
    let m = givenName(h === 'zh' ? 'en' : h, c.sex);
    if (m !== c.given) c.middle = m;
  }
  if (!c.knownAs) {
    if (h === 'zh' && chance(0.5)) c.knownAs = givenName('en', c.sex);
    else if (h === 'yo' && chance(0.6)) { const r = /^(Oluwa|Olu|Ade|Ayo|Ola|Temi)(.{3,})$/.exec(c.given); c.knownAs = r ? cap(r[2].slice(0, chance(0.5) ? 4 : 20)) : ''; }
    else if (h === 'en' && chance(0.3)) c.knownAs = shortForm(c.given) || '';
    else if (c.middle && !/^(Singh|Kaur)$/.test(c.middle) && chance(0.04)) c.knownAs = c.middle;
    else if (chance(0.06)) c.knownAs = shortForm(c.given) || '';
  }
}
/** Twins' names: one initial, a rhyme, one letter apart, or apart. */
function twinName(first, c) {
  const r = rnd();
  const g = first.given;
  if (g.includes('\u0001') || c.h === 'so' || c.h === 'pa') return;
  if (r < 0.3) {
    for (let k = 0; k < 30; k++) { const n = givenName(c.h, c.sex); if (n[0] === g[0] && n !== g) { c.given = n; return; } }
  } else if (r < 0.45) {
    const stem = g.replace(/^[^aeiouAEIOU]*/, '').toLowerCase();
    if (stem.length >= 2) { const n = cap(pick(L('b c d h j k l m n r s t z br j k')) + stem); if (n !== g) { c.given = n; return; } }
  } else if (r < 0.55) {
    if (c.sex !== first.sex) { c.given = first.sex === 'M' ? g + 'a' : g.replace(/a$/, '') || g + 'o'; if (c.given !== g) return; }
    const i = g.search(/[aeiou](?=[^aeiou]*$)/);
    if (i > 0) { const n = g.slice(0, i) + pick(['a', 'e', 'i', 'o', 'y'].filter((v) => v !== g[i])) + g.slice(i + 1); c.given = n; return; }
  }
}

function makeFamily() {
  const h = pickHeritage();
  const mother = nextMother++;
  const mum = { fam: familyName(h), given: givenName(h === 'so' ? 'so' : h, 'F') };
  if (h === 'so') mum.given = zipf(H.so.f);
  const fatherH = chance(0.12) ? pickHeritage() : h;
  const dad = { h: fatherH, fam: familyName(fatherH), given: givenName(fatherH === 'zh' ? 'en' : fatherH, 'M'),
    middle: fatherH === 'so' ? givenName('so', 'M') : '' };
  const married = chance(h === 'en' ? 0.5 : 0.85);
  const childFam = (fa, sex) => {
    if (fa.h === 'so') return fa.given;
    let f = fa.fam;
    if (fa.h === 'pl' && sex === 'F') f = f.replace(/ski$/, 'ska').replace(/cki$/, 'cka');
    if (fa.h === 'pt' || h === 'pt') return `${mum.fam} ${f}`;  // the mother's, then the father's
    if (h === 'en' && !married && chance(0.4)) return mum.fam;
    if (h === 'en' && chance(0.05)) return `${mum.fam}-${f}`;
    return f;
  };
  const hh = { id: households.length + 1, addr: [], moves: [], members: [], head: null, vuln: Math.exp(0.9 * normal()) };
  households.push(hh);
  // Births: the first child born up to 18 years ago, spaced 1-5 years.
  const n = Math.min(7, 1 + poisson(1.0));
  let day = TODAY - Math.floor(rnd() * 17.9 * YEAR);
  const start = day - Math.floor((0.5 + rnd() * 3) * YEAR);
  const arrived = chance(0.12) ? day + Math.floor(rnd() * (TODAY - day)) : 0;
  const kids = [];
  let partner2 = null, split = 0;
  if (chance(rate(0.22, 'step'))) {
    split = day + Math.floor(rnd() * 8 * YEAR);
    const p2h = chance(0.8) ? h : pickHeritage();
    partner2 = { h: p2h, fam: familyName(p2h), given: givenName(p2h === 'zh' ? 'en' : p2h, 'M'), middle: p2h === 'so' ? givenName('so', 'M') : '',
      married: chance(0.45 * scale.remarriage) ? split + Math.floor(rnd() * 3 * YEAR) : 0 };
  }
  for (let i = 0; i < n && day < TODAY; i++) {
    const fa = partner2 && day >= split ? partner2 : dad;
    const mult = chance(rate(0.016, 'twins')) ? (chance(0.03) ? 3 : 2) : 1;
    let first = null;
    for (let k = 0; k < mult; k++) {
      const sex = chance(0.51) ? 'M' : 'F';
      const ch = h === fa.h ? h : (chance(0.5) ? h : fa.h);
      const c = newChild(mother, ch, sex, day, childFam(fa, sex));
      nameChild(c, fa);
      if (first) {
        twinName(first, c);
        // Parents do not give twins one name (but two boys may both be Muhammad, each called by his middle
        // name): drawn again, a bounded number of times, when it came out so.
        for (let k = 0; k < 20 && c.given === first.given && c.given !== 'Muhammad'; k++) c.given = givenName(c.h, c.sex);
      } else first = c;
      if (ch === 'so') c.fam = fa.given;
      c.arrived = arrived && arrived > day ? arrived : 0;
      kids.push(c);
    }
    day += Math.floor((1 + rnd() * 4) * YEAR);
  }
  // The second partner: his children from before live here (step-siblings, another mother), and a
  // marriage may rename the first partner's children (his name, or double-barrelled).
  if (partner2) {
    if (chance(0.35)) {
      const sm = nextMother++;
      const k = 1 + (chance(0.3) ? 1 : 0);
      for (let i = 0; i < k; i++) {
        const sex = chance(0.5) ? 'M' : 'F';
        const c = newChild(sm, partner2.h, sex, TODAY - Math.floor((1 + rnd() * 16) * YEAR), childFam(partner2, sex));
        nameChild(c, partner2);
        if (partner2.h === 'so') c.fam = partner2.given;
        c.from = Math.max(c.dob, split);
        if (c.from >= TODAY) continue;
        c.step = true;
        kids.push(c);
      }
    }
    if (partner2.married && partner2.married < TODAY) {
      for (const c of kids) {
        if (c.step || c.dob >= split) continue;
        if (!chance(0.6)) continue;
        const nf = chance(0.25) ? `${c.fam}-${partner2.fam}` : partner2.fam;
        c.famHist.push([partner2.married + Math.floor(rnd() * YEAR), nf]);
      }
    }
  }
  // Cousins taken in: a parent's sibling's children, the father's brother's under his family name;
  // sometimes one is named as a child of the house (after one grandparent).
  if (kids.length && chance(rate(0.04, 'cousins'))) {
    const cm = nextMother++;
    const k = 1 + (chance(0.35) ? 1 : 0);
    const cf = chance(0.6) ? dad.fam : familyName(h);
    const joined = TODAY - Math.floor(rnd() * 6 * YEAR);
    for (let i = 0; i < k; i++) {
      const sex = chance(0.5) ? 'M' : 'F';
      const c = newChild(cm, h, sex, TODAY - Math.floor((0.5 + rnd() * 16.5) * YEAR), cf);
      nameChild(c, { given: givenName(h === 'zh' ? 'en' : h, 'M'), middle: '', h });
      if (h === 'so') c.fam = dad.given;
      const same = kids.filter((s) => s.sex === sex && !s.step && s.dob !== c.dob);
      if (same.length && chance(0.35)) {
        const s = pick(same);
        c.given = s.given; c.fam = s.fam; c.knownAs = s.knownAs && chance(0.5) ? s.knownAs : c.knownAs;
        c.namesake = s.id;
      }
      c.from = Math.max(c.dob, joined);
      c.cousin = true;
      kids.push(c);
    }
  }
  // Addresses on a timeline: a first address, then moves (Poisson over the years lived here).
  hh.addr.push([start, newAddress()]);
  let t = start;
  const years = (TODAY - start) / YEAR;
  const nm = poisson(0.09 * years * scale.moves * Math.sqrt(hh.vuln));
  const moveDays = Array.from({ length: nm }, () => start + Math.floor(rnd() * (TODAY - start))).sort((a, b) => a - b);
  for (const m of moveDays) if (m > t) { hh.addr.push([m, newAddress()]); t = m; }
  hh.members = kids;
  hh.h = h;
  hh.mum = mum; hh.dad = dad; hh.partner2 = partner2; hh.split = split; hh.married = married;
  // the tenant (housing's family name for every child): the mother, or the partner of the day
  hh.headFam = (d) => (partner2 && d >= split && chance(0.5) ? partner2.fam :
    (married && d < split + (partner2 ? 0 : 1e9) ? (chance(0.7) ? dad.fam : mum.fam) : mum.fam));
  for (const c of kids) {
    c.hh = hh;
    c.sibs = kids.filter((s) => s !== c && s.mother === c.mother);
    if (!c.arrived) { c.nhs = nhsNumber(); c.nhsFrom = c.dob; } else { c.nhs = nhsNumber(); c.nhsFrom = c.arrived; }
    if (c.from < c.arrived) c.from = c.arrived;
  }
}
const addrAt = (hh, d) => { let a = hh.addr[0][1]; for (const [t, x] of hh.addr) if (t <= d) a = x; return a; };
const prevAddr = (hh, d) => { let a = null, b = hh.addr[0][1]; for (const [t, x] of hh.addr) if (t <= d) { a = b; b = x; } return a !== b ? a : null; };
const famAt = (c, d) => { let f = c.fam; for (const [t, x] of c.famHist) if (t <= d) f = x; return f; };
const movedSince = (hh, d, back) => hh.addr.some(([t]) => t > d - back && t <= d);

// ---------------------------------------------------------------- agencies
// Each agency: a source code, a date shape, a sex shape, and how it writes a child it meets on a date.
const DATE = {
  iso: (y, m, d) => `${y}-${p2(m)}-${p2(d)}`,
  dmy: (y, m, d) => `${p2(d)}/${p2(m)}/${y}`,
  dmyLoose: (y, m, d) => `${d}/${m}/${y}`,
  dmyDash: (y, m, d) => `${p2(d)}-${p2(m)}-${y}`,
};
const SEX = { mf: (s) => s, word: (s) => (s === 'M' ? 'Male' : 'Female') };
const AG = {
  maternity: { src: 'maternity', date: 'iso', sex: 'mf', ref: 'MAT' },
  gp: { src: 'gp', date: 'iso', sex: 'mf', ref: 'GP' },
  ae: { src: 'emergency_dept', date: 'dmy', sex: 'word', ref: 'ED' },
  school: { src: 'school', date: 'dmy', sex: 'mf', ref: 'SCH' },
  police: { src: 'police', date: 'dmyLoose', sex: 'mf', ref: 'POL' },
  housing: { src: 'housing', date: 'iso', sex: 'mf', ref: 'HSG' },
  social: { src: 'social_care', date: 'dmyDash', sex: 'word', ref: 'CSC' },
};
const rows = { maternity: [], gp: [], ae: [], school: [], police: [], housing: [], social: [] };
let refN = 0;

/** The family field as the heritage's convention writes it at this agency. */
function familyField(c, d, ag, errs) {
  let f = famAt(c, d);
  if (f !== c.fam) errs.push('new_family_name');
  if (c.h === 'so' && chance(rate(0.25, 'family_convention'))) { f = chance(0.6) ? c.grand : `${c.middle} ${c.grand}`; errs.push('grandfather_name'); }
  if (c.h === 'pa' && chance(rate(0.3, 'family_convention'))) {
    f = chance(0.7) ? c.middle : `${c.middle} ${f}`; errs.push('kaur_singh');
  }
  if (/ /.test(f) && c.h !== 'so' && chance(rate(0.5, 'family_convention'))) {
    const parts = f.split(' ');
    f = chance(0.5) ? parts[0] : parts[parts.length - 1]; errs.push('one_family_name');
  } else if (/ /.test(f) && chance(0.3)) f = f.replace(' ', '-');
  if (c.h === 'pl' && /sk[ai]$|ck[ai]$/.test(f) && (ag === 'housing' || ag === 'police') && chance(rate(0.3, 'family_convention'))) {
    const g = c.sex === 'F' ? f.replace(/a$/, 'i') : f.replace(/i$/, 'a');
    if (g !== f) { f = g; errs.push('gender_ending'); }
  }
  return f;
}

function record(ag, c, d, extra = {}) {
  const A = AG[ag];
  const hh = c.hh;
  const errs = [];
  let given = c.given, middle = c.middle, fam = familyField(c, d, ag, errs);
  const ear = ag === 'ae' || ag === 'police';
  // The name the child is called by.
  const pKnown = { ae: 0.35, police: 0.5, school: 0.7, social: 0.12, gp: 0.03, housing: 0.05, maternity: 0 }[ag];
  if (c.knownAs && chance(rate(pKnown, 'known_as'))) {
    // School and social care keep the legal forename as a middle name now and then.
    if (middle === c.knownAs) middle = (ag === 'school' || ag === 'social') && chance(0.5) ? c.given : '';
    else if ((ag === 'school' || ag === 'social') && chance(0.3)) middle = (c.given + ' ' + middle).trim();
    given = c.knownAs; errs.push('known_as');
  }
  // A name spelt by ear, or in another written transliteration.
  if (ear && c.h !== 'en' && chance(rate(0.35, 'as_heard'))) { const [s, ch] = spell(given, c.h, 0.35, true); if (ch) { given = s; errs.push('given_as_heard'); } }
  else if (ear && chance(rate(0.08, 'as_heard'))) { const [s, ch] = spell(given, 'en', 0.3, true); if (ch) { given = s; errs.push('given_as_heard'); } }
  else if (!ear && c.h !== 'en' && chance(rate(0.06, 'translit'))) { const [s, ch] = spell(given, c.h, 0.3, false); if (ch) { given = s; errs.push('given_translit'); } }
  if (ear && c.h !== 'en' && chance(rate(0.3, 'as_heard'))) { const [s, ch] = spell(fam, c.h, 0.3, true); if (ch) { fam = s; errs.push('family_as_heard'); } }
  else if (ear && chance(rate(0.05, 'as_heard'))) { const [s, ch] = spell(fam, 'en', 0.3, true); if (ch) { fam = s; errs.push('family_as_heard'); } }
  else if (!ear && c.h !== 'en' && chance(rate(0.04, 'translit'))) { const [s, ch] = spell(fam, c.h, 0.3, false); if (ch) { fam = s; errs.push('family_translit'); } }
  // Diacritics and the syllable break, by the agency's keyboard and habit.
  const ascii = ag === 'police' || ag === 'housing' || ag === 'ae' ? chance(0.85) : chance(0.4);
  const brk = c.h === 'zh' ? pick(['', '', '', ' ', '-']) : '';
  given = writeName(given, ascii, brk); middle = writeName(middle, ascii, brk); fam = writeName(fam, ascii, '');
  if (ag === 'police' || ag === 'ae') middle = chance(0.85) ? '' : middle;
  if (ag === 'housing' && chance(0.6)) middle = '';
  // The household head's family name (housing's tenant, a caller's assumption).
  const pHead = { housing: 0.75, police: 0.25, ae: 0.05, school: 0, social: 0, gp: 0, maternity: 0 }[ag];
  if (pHead && chance(rate(pHead, 'head_name'))) {
    const hf = writeName(hh.headFam(d), ascii, '');
    if (plain(hf).toLowerCase() !== plain(fam).toLowerCase()) { fam = hf; errs.push('head_family_name'); }
  }
  // School and police: the new partner's family name before any legal change.
  if ((ag === 'school' || ag === 'police') && hh.partner2 && d >= hh.split && !c.step && !c.cousin && c.dob < hh.split &&
      famAt(c, d) === c.fam && chance(rate(0.25, 'early_name'))) { fam = writeName(hh.partner2.fam, ascii, ''); errs.push('early_family_name'); }
  // Maternity: "Baby" and the mother's family name, at birth.
  if (ag === 'maternity') {
    if (chance(rate(0.2, 'baby'))) { given = 'Baby'; middle = ''; errs.push('baby_given'); }
    if (plain(hh.mum.fam) !== plain(fam) && chance(rate(0.4, 'baby'))) { fam = writeName(hh.mum.fam, ascii, ''); errs.push('mother_family_name'); }
  }
  // Family name first (forms that ask for the surname first, heritages that put it first).
  const pOrder = (c.h === 'zh' || c.h === 'yo') ? 0.12 : 0.01;
  if ((ag === 'ae' || ag === 'police' || ag === 'housing' || ag === 'school') && chance(rate(pOrder, 'name_order'))) {
    [given, fam] = [fam, given]; errs.push('name_order');
  }
  if (chance(rate(ear ? 0.025 : 0.008, 'typo'))) { given = typo(given); errs.push('given_typo'); }
  if (chance(rate(ear ? 0.02 : 0.006, 'typo'))) { fam = typo(fam); errs.push('family_typo'); }
  // The date of birth as told or estimated.
  let dob = '';
  const [y, m, dd] = ymd(c.dob);
  const age = Math.max(0, ageAt(c.dob, d));
  let dy = y, dm = m, ddd = dd;
  const pEst = { ae: 0.05, police: 0.3, housing: 0.12, school: 0, social: 0.01, gp: 0, maternity: 0 }[ag];
  const pMiss = { ae: 0.02, police: 0.25, housing: 0.12, school: 0, social: 0.01, gp: 0, maternity: 0 }[ag];
  if (chance(rate(pMiss, 'dob_missing'))) { errs.push('dob_missing'); }
  else {
    if (chance(rate(pEst, 'dob_estimate'))) {
      // An age: the first of January of the year it implies, or the encounter's day that many years back.
      const [ey, em, ed] = ymd(d);
      if (chance(0.5)) { dy = ey - age - (chance(0.3) ? 1 : 0); dm = 1; ddd = 1; }
      else { dy = ey - age; dm = em; ddd = Math.min(ed, 28); }
      if (dy !== y || dm !== m || ddd !== dd) errs.push('dob_estimated');
    }
    const pSwap = { ae: 0.03, police: 0.02, social: 0.01, school: 0.004, gp: 0.002, housing: 0.01, maternity: 0 }[ag];
    if (ddd <= 12 && ddd !== dm && chance(rate(pSwap, 'dob_swap'))) { [ddd, dm] = [dm, ddd]; errs.push('dob_swap'); }
    dob = DATE[A.date](dy, dm, ddd);
  }
  // Sex.
  let sex = SEX[A.sex](c.sex);
  if ((ag === 'police' && chance(0.15)) || (ag === 'housing' && chance(0.6))) sex = '';
  // The address: home on the day, an old one, the incident's, or none.
  let a = addrAt(hh, d);
  if (ag === 'police' && chance(rate(0.3, 'incident_address'))) { a = newAddress(); errs.push('incident_address'); }
  else {
    const old = prevAddr(hh, d);
    const pStale = { gp: 0.5, ae: 0.15, school: 0.1, social: 0.08, police: 0.1, housing: 0, maternity: 0 }[ag];
    if (old && movedSince(hh, d, 2 * YEAR) && chance(rate(pStale, 'stale_address'))) { a = old; errs.push('stale_address'); }
  }
  let address = writeAddress(a, ag === 'police' || ag === 'ae' ? 'short' : 'long');
  let postcode = a.pc;
  if ((ag === 'ae' && chance(0.04)) || (ag === 'police' && chance(0.1))) { address = ''; postcode = ''; errs.push('address_missing'); }
  else if (ag === 'police' && chance(0.3)) postcode = '';
  // Identifiers.
  let nhs = '', u = '';
  const hasNhs = c.nhs && d >= c.nhsFrom;
  const pNhs = { gp: 0.98, maternity: 1, ae: 0.6, social: 0.75, school: 0.06, police: 0, housing: 0 }[ag];
  if (hasNhs && pNhs) {
    const miss = ag === 'gp' || ag === 'maternity' ? 1 - pNhs : (1 - pNhs) * scale.nhs_missing;
    if (chance(Math.min(0.98, miss))) errs.push('nhs_missing');
    else {
      nhs = c.nhs;
      if (ag === 'ae' && c.sibs.length && chance(rate(0.025, 'nhs_sibling'))) {
        const s = pick(c.sibs);
        if (s.nhs && d >= s.nhsFrom) { nhs = s.nhs; errs.push('nhs_sibling'); }
      }
      if (chance(rate(0.004, 'typo'))) { nhs = nhs.slice(0, 9) + ((Number(nhs[9]) + 1) % 10); errs.push('nhs_typo'); }
      if (ag === 'ae' && chance(0.5)) nhs = `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;
    }
  }
  if (c.upn && d >= c.upnFrom && (ag === 'school' || (ag === 'social' && chance(0.4)))) {
    u = extra.upn || c.upn;
    if (extra.upn && extra.upn !== c.upn) errs.push('temp_upn');
  }
  if (middle === given) middle = '';
  refN++;
  rows[ag].push({ d, src: A.src, given: given.trim(), middle: middle.trim(), fam: fam.trim(), dob, sex, postcode, address,
    nhs, upn: u, ref: `${A.ref}-${String(refN).padStart(7, '0')}`, child: c.id, family: c.mother, errs, true_dob: iso(c.dob) });
}

/** Children living in the household on day d (born, arrived, joined). */
const present = (hh, d) => hh.members.filter((c) => c.from <= d && c.dob <= d && ageAt(c.dob, d) < 18);
const between = (a, b) => a + Math.floor(rnd() * Math.max(1, b - a));

function encounters(hh) {
  const E = scale.encounters;
  const v = hh.vuln;
  const first = Math.min(...hh.members.map((c) => c.from));
  const years = Math.max(0.1, (TODAY - first) / YEAR);
  // Household encounters: a police call-out, a social care referral, a housing tenancy (at a move too).
  for (let k = poisson(0.05 * v * years * E); k > 0; k--) { const d = between(first, TODAY); for (const c of present(hh, d)) record('police', c, d); }
  for (let k = poisson(0.05 * v * years * E); k > 0; k--) { const d = between(first, TODAY); for (const c of present(hh, d)) record('social', c, d); }
  const tenant = v > 1.2 || chance(0.5);   // families in social housing
  for (const [t] of hh.addr) if (t >= first && tenant && chance(0.45)) { const d = t + int(60); if (d < TODAY) for (const c of present(hh, d)) record('housing', c, d); }
  for (const c of hh.members) {
    const from = c.from;
    const life = Math.max(0.05, (TODAY - from) / YEAR);
    if (!c.arrived && c.from === c.dob && chance(0.55 * E)) record('maternity', c, c.dob + int(3));
    // GP: a registration (at birth or arrival), again after a move now and then.
    record('gp', c, from + int(60) < TODAY ? from + int(60) : from);
    for (const [t] of hh.addr) if (t > from && chance(0.35 * E)) record('gp', c, t + int(200) < TODAY ? t + int(200) : t);
    // School: from the September after the fourth birthday; a record at entry, at 11, and at a transfer.
    const [by] = ymd(c.dob);
    const entry = Math.max(from, dayOf(by + 4 + (ymd(c.dob)[1] >= 9 ? 1 : 0), 9, 3));
    if (entry < TODAY && ageAt(c.dob, entry) < 16) {
      c.upn = upn(); c.upnFrom = entry;
      record('school', c, entry);
      const sec = dayOf(by + 11 + (ymd(c.dob)[1] >= 9 ? 1 : 0), 9, 4);
      if (sec > entry && sec < TODAY && chance(0.7 * E)) record('school', c, sec);
      for (const [t] of hh.addr) if (t > entry && t < TODAY && ageAt(c.dob, t) < 16 && chance(0.5 * E))
        record('school', c, t + 30 < TODAY ? t + 30 : t, { upn: chance(rate(0.08, 'temp_upn')) ? tempUpn() : c.upn });
      for (let k = poisson(0.06 * life * E); k > 0; k--) { const d = between(entry, TODAY); if (ageAt(c.dob, d) < 16) record('school', c, d); }
    }
    // A&E, by the household's vulnerability; police about the child alone from ten.
    for (let k = poisson(0.12 * v * life * E); k > 0; k--) record('ae', c, between(from, TODAY));
    const ten = Math.max(from, c.dob + Math.floor(10 * YEAR));
    if (ten < TODAY) for (let k = poisson(0.06 * v * ((TODAY - ten) / YEAR) * E); k > 0; k--) record('police', c, between(ten, TODAY));
  }
}

// ---------------------------------------------------------------- write
const q = (s) => `"${String(s).replace(/"/g, '""')}"`;
function main() {
  for (let f = 0; f < opt.families; f++) makeFamily();
  for (const hh of households) encounters(hh);
  fs.mkdirSync(opt.out, { recursive: true });
  const rf = fs.openSync(path.join(opt.out, 'records.csv'), 'w');
  const tf = fs.openSync(path.join(opt.out, 'truth.csv'), 'w');
  fs.writeSync(rf, 'record_id,source,given_name,middle_names,family_name,dob,sex,postcode,address,nhs_number,upn,source_ref\n');
  fs.writeSync(tf, 'record_id,child_id,family_id,errors,true_dob\n');
  let id = 0;
  let rb = [], tb = [];
  const flush = () => { fs.writeSync(rf, rb.join('')); fs.writeSync(tf, tb.join('')); rb = []; tb = []; };
  // Each agency's extract in turn, in the order of its encounters (as extracts are concatenated).
  for (const ag of Object.keys(rows)) {
    rows[ag].sort((a, b) => a.d - b.d || a.child - b.child);
    for (const r of rows[ag]) {
      id++;
      rb.push([id, r.src, r.given, r.middle, r.fam, r.dob, r.sex, r.postcode, r.address, r.nhs, r.upn, r.ref].map(q).join(',') + '\n');
      tb.push([id, r.child, r.family, r.errs.join('+'), r.true_dob].map(q).join(',') + '\n');
      if (rb.length >= 20000) flush();
    }
  }
  flush();
  fs.closeSync(rf); fs.closeSync(tf);
  const kids = children.filter((c) => c.hh).length;
  console.error(`gen_d: ${id} records about ${kids} children of ${opt.families} families in ${opt.out}`);
}
main();
