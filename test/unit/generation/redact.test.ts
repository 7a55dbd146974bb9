import * as assert from 'node:assert/strict';
import { REDACTED, Redactor, redact } from '../../../src/core/generation/redact';

// A fake key, assembled at run time so secret scanners do not take the source for a leak.
const SK = ['sk', 'proj', 'AbC123xyz789LongEnough'].join('-');

describe('redact', () => {
  it('removes the configured key wherever it appears, even without a known shape', () => {
    const key = 'local-9f8e7d6c5b4a';
    assert.equal(redact(`url?token=${key}&x=1 and again ${key}`, [key]), `url?token=${REDACTED}&x=1 and again ${REDACTED}`);
  });

  it('removes sk- style secrets, bearer tokens and api-key headers', () => {
    const out = redact(
      `Incorrect API key provided: ${SK}. Authorization: Bearer abc.def-ghi "api-key": "azure0123456789" x-api-key=zzz999`,
    );
    for (const secret of [SK, 'abc.def-ghi', 'azure0123456789', 'zzz999']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
    assert.ok(out.includes('Bearer [REDACTED]'));
    assert.ok(out.includes('Incorrect API key provided'));
  });

  it('leaves ordinary text alone and ignores tiny secrets that would mangle it', () => {
    const r = new Redactor(['ab', '']);
    assert.equal(r.redact('a task-based abacus'), 'a task-based abacus');
  });

  it('describes errors (with their cause) redacted', () => {
    const r = new Redactor(['supersecretvalue']);
    const e = new Error('request failed', { cause: new Error('proxy said supersecretvalue') });
    assert.equal(r.describe(e), `request failed (proxy said ${REDACTED})`);
    assert.equal(r.describe('plain supersecretvalue'), `plain ${REDACTED}`);
    // The openai client's error wraps fetch's, which wraps the one that says what happened.
    const deep = new Error('Connection error.', { cause: new Error('fetch failed', { cause: new Error('response larger than 67108864 bytes from supersecretvalue') }) });
    assert.equal(r.describe(deep), `Connection error. (fetch failed) (response larger than 67108864 bytes from ${REDACTED})`);
  });

  it('is idempotent: text redacted twice reads [REDACTED], not [REDACTED]]]', () => {
    const r = new Redactor([SK]);
    const once = r.redact(`Authorization: Bearer ${SK}; "api_key": "${SK}"; x-api-key=zzz999; Bearer abc.def`);
    assert.equal(once, `Authorization: Bearer ${REDACTED}; "api_key": "${REDACTED}"; x-api-key=${REDACTED}; Bearer ${REDACTED}`);
    let again = once;
    for (let i = 0; i < 4; i++) again = r.redact(again);
    assert.equal(again, once);
    assert.ok(!again.includes(']]'), again);
  });
});
