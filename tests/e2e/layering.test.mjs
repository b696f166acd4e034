// The layering check (scripts/layering.mjs) on a tiny fake tree: one violation of each rule, each named by
// file and line; comments and strings that only mention a rule's pattern are not violations; an allow entry
// silences exactly what it names, and a stale one is a notice, not a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { removeDir, tempDir } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHECKER = path.resolve(here, '../../scripts/layering.mjs');
const RULES = path.resolve(here, '../../scripts/layering.rules');

let root;

function write(rel, text) {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

function check(allowText = '') {
  const allow = path.join(root, 'layering.allow');
  fs.writeFileSync(allow, allowText);
  const r = spawnSync(process.execPath, [CHECKER, '--root', root, '--rules', RULES, '--allow', allow],
    { encoding: 'utf8', timeout: 30000 });
  if (r.error) throw r.error;
  return { status: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  root = tempDir('layering');
  // One violation of each kind, on a known line.
  write('src/core/bad_core.c', [
    '/* a pure core */',
    '#include "core/date.h"',
    '#include "service/alerts.h"', // line 3
    'int f(void);',
  ].join('\n'));
  write('src/web/bad_edge.c', [
    '#include "web/web.h"',
    '#include "store/store.h"', // line 2
    'static int g(store *st)',
    '{',
    '\treturn store_close(st);', // line 5
    '}',
  ].join('\n'));
  write('src/api/bad_sql.c', [
    'static const char *q =',
    '\t"SELECT id "', // line 2: the statement starts here; the literals are joined as C joins them
    '\t"FROM person WHERE id = ?";',
  ].join('\n'));
  write('src/service/bad_time.c', [
    '#include <time.h>',
    'long now(void)',
    '{',
    '\treturn (long)time( NULL );', // line 4
    '}',
    'int wall(struct timespec *t) { return clock_gettime(CLOCK_REALTIME, t); }', // line 6
  ].join('\n'));
  // store.h's parts (issue 17) are the store as much as store.h is.
  write('src/io/bad_part.c', '#include "store/store_alerts.h"\n');
  // The database's own clock is a second clock, even in the store.
  write('src/store/bad_now.c', [
    'static const char *q =',
    '\t"UPDATE alert SET escalated_at = datetime(\'now\') "', // line 2
    '\t"WHERE id = ?";',
    'static const char *fine = "UPDATE alert SET escalated_at = sg_now() WHERE id = ?";',
  ].join('\n'));
  // A write's decision apart from its refusal's entry (r-ntk31), reached from an edge by a relative include and by a
  // function pointer (r-review60: both passed the first rules), and a refusal's entry dropped.
  write('src/web/bad_write.c', [
    '#include "../service/service_int.h"', // line 1
    'static int (*const check)(void) = access_write_check;', // line 2: no call, a use all the same
    'static void f(struct access_write_refusal *r) { access_write_refusal_drop(r); }', // line 3
    'static void g(txq *q, struct access_write_refusal *r) { access_write_refuse(q, r, 0, 0, 0, 0, 0); }', // line 4
    'static int h(void) { return access_write_checked(0, 0, 0, 0, 0, 0, 0); }', // the paired call: fine
  ].join('\n'));
  // A bare read decision used by an edge (r-tidy32): called, and taken as a function pointer.
  write('src/api/bad_read.c', [
    'static int f(void) { return alerts_reader_may(0, 0, 0, 0, 0); }', // line 1
    'static int (*const g)(void) = recordings_reader_may;', // line 2
    'static int k(void) { return recordings_get(0, 0, 0, 0); }', // line 3: the row, unaudited (r-review32)
    'static int h(void) { return alerts_read_decided(0, 0, 0, 0); }', // the call that audits: fine
  ].join('\n'));
  // The two read decisions r-ntk32 made the services' (who has looked, listing an owner's alerts), one a name:
  // called, and taken as a function pointer, from an edge reaching service_int.h by a relative include.
  write('src/web/bad_read_more.c', [
    '#include "../service/service_int.h"', // line 1
    'static int f(void) { return children_may_see_viewers(0, 0, 0, 0, 0); }', // line 2
    'static int (*const g)(void) = alerts_person_may_list;', // line 3
    'static int h(void) { return children_viewers_read_decided(0, 0, 0, 0) + alerts_list_decided(0, 0, 0, 0); }', // fine
    'static int k(void) { return children_may_see_viewers_of(0); }', // the link from an audited read's decision: fine
  ].join('\n'));
  // The role gate decided by an edge alone (r-tidy34): the bare policy called, a token's scope taken as a pointer.
  write('src/web/bad_gate.c', [
    'static int f(void) { return access_role_may(0, 0, 0); }', // line 1
    'static int (*const g)(void) = access_system_may;', // line 2
    'static int h(void) { return access_route_decided(0, 0) + access_role_offers(0, 0, 0); }', // audited, or a link: fine
  ].join('\n'));
  // Mentions that are not violations: in comments, in prose, in the places the rules allow.
  write('src/web/fine_edge.c', [
    '/* time(NULL) and store_close(st) in a comment, and "SELECT id FROM person" too */',
    '// #include "store/store.h"',
    'static const char *msg = "Select the child from the list; time(NULL) in a string is text";',
    'static int h(int store_close_count) { return store_close_count; }',
  ].join('\n'));
  write('src/store/sqlite.c', 'static const char *q = "SELECT id FROM person";\n');
  write('src/clock/clock.c', '#include <time.h>\nlong clock_now(void) { return (long)time(NULL); }\n');
});

after(() => removeDir(root));

test('one violation of each rule fails the check, each named by file:line and rule', () => {
  const r = check();
  assert.equal(r.status, 1, r.out + r.err);
  const lines = r.out.split('\n').filter((l) => /^src\//.test(l)).sort();
  assert.deepEqual(lines.map((l) => l.split(': ').slice(0, 2).join(': ')), [
    'src/api/bad_read.c:1: edge-read-unaudited',
    'src/api/bad_read.c:2: edge-read-unaudited',
    'src/api/bad_read.c:3: edge-read-unaudited',
    'src/api/bad_sql.c:2: sql-outside-store',
    'src/core/bad_core.c:3: core-includes-upper',
    'src/io/bad_part.c:1: edge-includes-store',
    'src/service/bad_time.c:4: time-outside-clock',
    'src/service/bad_time.c:6: time-outside-clock',
    'src/store/bad_now.c:2: sql-clock-outside-clock',
    'src/web/bad_edge.c:2: edge-includes-store',
    'src/web/bad_edge.c:5: edge-calls-store',
    'src/web/bad_gate.c:1: edge-route-unaudited',
    'src/web/bad_gate.c:2: edge-route-unaudited',
    'src/web/bad_read_more.c:1: edge-includes-service-int',
    'src/web/bad_read_more.c:2: edge-read-unaudited',
    'src/web/bad_read_more.c:3: edge-read-unaudited',
    'src/web/bad_write.c:1: edge-includes-service-int',
    'src/web/bad_write.c:2: edge-write-unaudited',
    'src/web/bad_write.c:3: edge-refusal-dropped',
    'src/web/bad_write.c:4: edge-write-unaudited',
  ]);
  assert.match(r.out, /src\/web\/bad_edge\.c:5: edge-calls-store: .*\(store_close\)/);
  assert.match(r.out, /^layering: 0 passed, 11 failed$/m);
});

test('an allow entry silences what it names and nothing else', () => {
  const r = check([
    '# reasons are required',
    'time-outside-clock  src/service/bad_time.c  *  the fake clock goes later',
    'edge-calls-store    src/web/bad_edge.c      store_close  the fake edge closes the store',
    'edge-calls-store    src/web/bad_edge.c      store_open   nothing calls it: a stale entry',
  ].join('\n'));
  assert.equal(r.status, 1, r.out + r.err);
  assert.doesNotMatch(r.out, /bad_time\.c:4/);
  assert.doesNotMatch(r.out, /bad_edge\.c:5/);
  assert.match(r.out, /bad_edge\.c:2: edge-includes-store/);
  assert.match(r.out, /notice: .*:4: edge-calls-store src\/web\/bad_edge\.c store_open allows nothing any more/);
});

test('with every violation allowed the check passes, stale entries printed as notices', () => {
  const r = check([
    'core-includes-upper  src/core/bad_core.c     service/alerts.h  fake',
    'edge-includes-store  src/web/bad_edge.c      store/store.h     fake',
    'edge-includes-store  src/io/bad_part.c       store/store_alerts.h  fake',
    'edge-calls-store     src/web/bad_edge.c      store_close       fake',
    'sql-outside-store    src/api/bad_sql.c       *                 fake',
    'time-outside-clock   src/service/bad_time.c  *                 fake',
    'sql-clock-outside-clock  src/store/bad_now.c  *                fake',
    'edge-includes-service-int  src/web/bad_write.c  ../service/service_int.h  fake',
    'edge-write-unaudited  src/web/bad_write.c  *                   fake',
    'edge-refusal-dropped  src/web/bad_write.c  access_write_refusal_drop  fake',
    'edge-read-unaudited  src/api/bad_read.c  *                     fake',
    'edge-read-unaudited  src/web/bad_read_more.c  *                fake',
    'edge-includes-service-int  src/web/bad_read_more.c  ../service/service_int.h  fake',
    'edge-route-unaudited  src/web/bad_gate.c  *                    fake',
    'time-outside-clock   src/web/gone.c          *                 the file is gone: stale',
  ].join('\n'));
  assert.equal(r.status, 0, r.out + r.err);
  assert.match(r.out, /notice: .*:15: time-outside-clock src\/web\/gone\.c \* allows nothing any more/);
  assert.match(r.out, /^layering: 20 known exceptions .*, 0 new violations$/m);
  assert.match(r.out, /^layering: 11 passed, 0 failed$/m);
});

test('an allow entry without a reason, or naming no rule, is refused', () => {
  let r = check('time-outside-clock src/service/bad_time.c *\n');
  assert.equal(r.status, 2);
  assert.match(r.err, /layering\.allow:1: expected RULE FILE WHAT REASON/);
  r = check('no-such-rule src/service/bad_time.c * a reason\n');
  assert.equal(r.status, 2);
  assert.match(r.err, /layering\.allow:1: no rule named no-such-rule/);
});

test("today's tree passes with the committed allow list", () => {
  const r = spawnSync(process.execPath, [CHECKER], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^layering: \d+ passed, 0 failed$/m);
});

// r-review33: the text check reads the source as written, the compiler after the preprocessor. An edge that reaches
// a bare read decision by a digraph include (%:include), an include through a macro, a name spliced by a
// backslash-newline or pasted by a macro (a##b) builds with the house's flags and passes the text check; the check
// on the compiled objects (--objects, as make layering runs it) names each symbol. Failed before (no --objects: the
// bypass passed `make layering`).
test('a bare read decision hidden from the text by the preprocessor is found in the compiled object', (t) => {
  const cc = spawnSync('cc', ['--version'], { encoding: 'utf8' });
  if (cc.error || cc.status !== 0) return t.skip('no C compiler');
  const tree = tempDir('layering-obj');
  try {
    const src = path.join(tree, 'src/web/sneak.c');
    fs.mkdirSync(path.dirname(src), { recursive: true });
    fs.writeFileSync(src, [
      '%:include "service/service_int.h"',
      '#define CAT(a, b) a##b',
      '#define INT_H "service/service_int.h"',
      '#include INT_H',
      'int sneak(void);',
      'int sneak(void)',
      '{',
      '\treturn children_may_see_\\',
      'viewers(0, 0, 0, 0, 0) + CAT(alerts_person, _may_list)(0, 0, 0, 0, 0);',
      '}',
      '',
    ].join('\n'));
    const obj = path.join(tree, 'obj/src/web/sneak.o');
    fs.mkdirSync(path.dirname(obj), { recursive: true });
    const built = spawnSync('cc', ['-std=c11', '-D_DEFAULT_SOURCE', '-Wall', '-Wextra', '-Werror', '-Wno-unused-parameter',
      '-I', path.resolve(here, '../../src'), '-c', '-o', obj, src], { encoding: 'utf8', timeout: 60000 });
    assert.equal(built.status, 0, built.stderr);
    const run = (args, allowText = '') => {
      const allow = path.join(tree, 'layering.allow');
      fs.writeFileSync(allow, allowText);
      const r = spawnSync(process.execPath, [CHECKER, '--root', tree, '--rules', RULES, '--allow', allow, ...args],
        { encoding: 'utf8', timeout: 30000 });
      if (r.error) throw r.error;
      return r;
    };
    const text = run([]);
    assert.equal(text.status, 0, 'the text alone does not see it: ' + text.stdout + text.stderr);
    const objs = run(['--objects', path.join(tree, 'obj')]);
    assert.equal(objs.status, 1, objs.stdout + objs.stderr);
    const found = objs.stdout.split('\n').filter((l) => l.startsWith('src/web/sneak.c: '));
    assert.deepEqual(found.map((l) => /^src\/web\/sneak\.c: ([\w-]+): .*\((\w+), in the compiled object\)$/.exec(l)?.slice(1, 3)),
      [['edge-read-unaudited', 'alerts_person_may_list'], ['edge-read-unaudited', 'children_may_see_viewers']]);
    assert.match(objs.stdout, /^layering: 1 compiled objects checked /m);
    // an allow entry naming the symbol for the source file silences it, and nothing else
    const one = run(['--objects', path.join(tree, 'obj')],
      'edge-read-unaudited  src/web/sneak.c  children_may_see_viewers  fake\n');
    assert.equal(one.status, 1);
    assert.match(one.stdout, /\(alerts_person_may_list, in the compiled object\)/);
    assert.doesNotMatch(one.stdout, /\(children_may_see_viewers, in the compiled object\)/);
  } finally {
    removeDir(tree);
  }
});
