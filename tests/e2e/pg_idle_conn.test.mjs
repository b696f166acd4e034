// issue 17: a pooled connection that the database ended while it sat idle (pg_terminate_backend here; an
// idle_session_timeout or a restart of the server end a session the same way: a FATAL message, then the socket
// closed) must not fail the next request. The pool looks at an idle connection before handing it on
// (store/drv_pg.c pg_usable: a socket with anything to read is a goodbye, no round trip; an empty query after
// 30 s idle) and takes or opens another. Shown on a throwaway cluster: every one of the server's connections is
// ended between two requests, then the health check, an API read, an intake POST and a signed-in page are each
// answered as if nothing happened. Skipped by name where PostgreSQL is not installed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addPerson, event, postEvent, request, startServer, webSignIn } from './lib.mjs';
import { clusterArea, clusterInstalled, endClientSessions } from './pg_cluster.mjs';

const PASSWORD = 'idle connections cut 1';

describe('connections ended by the database while idle', { skip: clusterInstalled ? false : 'skipped suite postgresql: initdb not found' }, () => {
  let set;
  let area;
  let server;
  let secret;

  before(async () => {
    set = clusterArea('pg-idle');
    area = set.area;
    secret = addPerson(area.db, 'ivy.idle', 'social_care', 'social_worker', PASSWORD);
    server = await startServer(area.db);
  });

  after(async () => {
    try {
      if (server) await server.stop();
    } finally {
      set?.close();
    }
  });

  // Ends every session on the area's database but psql's own and waits until each has gone (pg_cluster.mjs: a
  // bounded poll of pg_stat_activity); returns how many there were.
  const endServerSessions = () => endClientSessions(area.db);

  test('every pooled connection ended between two requests: the next requests succeed', async () => {
    const token = area.tokens.police;
    const first = await postEvent(server.url, token, event({ source_ref: 'IDLE-1' }, { given_name: 'Ida', family_name: 'Idle' }));
    assert.equal(first.status, 201, first.text);
    const child = first.json.child_id;
    assert.ok(child);
    const cookie = await webSignIn(server.url, area.db, 'ivy.idle', { password: PASSWORD });
    assert.ok(cookie, 'signed in');
    // several requests at once, so that the pool holds more than one connection
    const warm = await Promise.all([1, 2, 3, 4].map(() => request(`${server.url}/api/v1/children/${child}`, { token })));
    for (const r of warm) assert.equal(r.status, 200, r.text);

    assert.ok(endServerSessions() >= 1, 'the server had connections to end');
    const health = await request(`${server.url}/healthz`);
    assert.equal(health.status, 200, `the health check after the cut: ${health.text}`);

    assert.ok(endServerSessions() >= 1);
    const read = await request(`${server.url}/api/v1/children/${child}`, { token });
    assert.equal(read.status, 200, `an API read after the cut: ${read.text}`);
    assert.equal(read.json.person.given_name, 'Ida');

    assert.ok(endServerSessions() >= 1);
    const page = await fetch(`${server.url}/`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(page.status, 200, 'a signed-in page after the cut (not the sign-in page, not a 503)');
    assert.match(await page.text(), /Sign out/);

    assert.ok(endServerSessions() >= 1);
    const second = await postEvent(server.url, token, event({ source_ref: 'IDLE-2' }, { given_name: 'Ida', family_name: 'Idle' }));
    assert.equal(second.status, 201, `intake after the cut: ${second.text}`);

    // what the requests wrote is there, once each
    const again = await postEvent(server.url, token, event({ source_ref: 'IDLE-2' }, { given_name: 'Ida', family_name: 'Idle' }));
    assert.equal(again.status, 200, 'the same record again is a replay: it was stored');
    assert.ok(server.isAlive());
  });
});
