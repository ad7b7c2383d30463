import * as assert from 'node:assert/strict';
import { evidenceLink, fenced, markdownText, trailMarkdown } from '../../src/trail/markdown';
import { Trail, TRAIL_FORMAT_VERSION, type TrailStep } from '../../src/trail/trail';

const HUNT_QUERY = '// Success after repeated MFA failures\n// hunt: success-after-failures\nSigninLogs\n| take 10';
const PIVOT_QUERY = '// hunt: activity-after-approval\nlet userPrincipalName = "alice@contoso.com";\nOfficeActivity';

/** Builds a trail of a hunt run, a pivot from it that ran, and a second pivot from the first one. */
function sampleTrail(): Trail {
  const trail = new Trail();
  const run = trail.add({
    kind: 'run',
    title: 'Success after repeated MFA failures',
    query: HUNT_QUERY,
    huntId: 'success-after-failures',
    target: 'Log Analytics workspace "Test SOC" (1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718)',
    time: '2026-12-01T09:00:00.000Z',
    status: 'Success',
    rowCount: 2,
  });
  const pivot = trail.add({
    kind: 'pivot',
    title: 'Mailbox and file activity after the approval',
    query: PIVOT_QUERY,
    parameters: { userPrincipalName: 'alice@contoso.com', startTime: '2026-12-01T02:13:00.000Z', window: '24h' },
    huntId: 'activity-after-approval',
    time: '2026-12-01T09:01:00.000Z',
    status: 'Success',
    rowCount: 5,
    source: {
      stepId: run.id,
      pivot: 'activityAfterApproval',
      entity: { userPrincipalName: 'alice@contoso.com', ipAddress: '203.0.113.7', approvalTime: '2026-12-01T02:13:00.000Z', denials: 14, rowIndex: 0 },
    },
    evidence: ['file:///cases/42/evidence 1.json'],
  });
  trail.add({
    kind: 'pivot',
    title: 'Sign-ins from one IP address',
    query: 'SigninLogs',
    huntId: 'sign-ins-from-ip',
    time: '2026-12-01T09:02:00.000Z',
    source: { stepId: pivot.id, pivot: 'signInsFromIp', entity: { ipAddress: '203.0.113.7', rowIndex: 3 } },
  });
  return trail;
}

describe('investigation trail', () => {
  it('numbers steps and makes the newest current', () => {
    const trail = sampleTrail();
    assert.deepEqual(trail.all.map((step) => step.id), ['s1', 's2', 's3']);
    assert.equal(trail.currentStep?.id, 's3');
  });

  it('nests pivots under their source step', () => {
    const trail = sampleTrail();
    assert.deepEqual(trail.childrenOf(undefined).map((step) => step.id), ['s1']);
    assert.deepEqual(trail.childrenOf('s1').map((step) => step.id), ['s2']);
    assert.deepEqual(trail.childrenOf('s2').map((step) => step.id), ['s3']);
  });

  it('moves back and forward and stops at the ends', () => {
    const trail = sampleTrail();
    assert.equal(trail.forward(), undefined);
    assert.equal(trail.back()?.id, 's2');
    assert.equal(trail.back()?.id, 's1');
    assert.equal(trail.back(), undefined);
    assert.equal(trail.currentStep?.id, 's1');
    assert.equal(trail.forward()?.id, 's2');
  });

  it('round-trips through JSON', () => {
    const trail = sampleTrail();
    trail.back();
    const restored = Trail.fromJSON(JSON.parse(JSON.stringify(trail)));
    assert.deepEqual(restored.all, trail.all);
    assert.equal(restored.currentStep?.id, 's2');
    assert.equal(restored.add({ kind: 'run', title: 't', query: 'q', time: 'now' }).id, 's4', 'ids are reused after a restore');
  });

  it('rejects another version', () => {
    assert.throws(() => Trail.fromJSON({ version: TRAIL_FORMAT_VERSION + 1, steps: [], current: -1, nextId: 1 }), /version 2 is not 1/);
  });

  const invalidSteps: [string, Record<string, unknown>][] = [
    ['id', { id: '../x' }],
    ['kind', { kind: 'delete' }],
    ['query', { query: 42 }],
    ['rowCount', { rowCount: -1 }],
    ['status', { status: 'Maybe' }],
    ['error', { error: { code: 'E' } }],
    ['requestId', { requestId: 7 }],
    ['parameters', { parameters: { a: { nested: true } } }],
    ['evidence', { evidence: [1] }],
    ['source', { source: { pivot: 'rm -rf', entity: { rowIndex: 0 } } }],
    ['source', { source: { pivot: 'userSignIns', entity: { rowIndex: 0, userPrincipalName: { toString: 1 } } } }],
  ];
  for (const [field, change] of invalidSteps) {
    it(`rejects a step with an invalid ${field}`, () => {
      const step = { ...sampleTrail().all[1], ...change };
      assert.throws(() => Trail.fromJSON({ version: TRAIL_FORMAT_VERSION, steps: [step], current: 0, nextId: 2 }), new RegExp(`step 1 has an invalid "${field}"`));
    });
  }

  it('keeps steps in time order', () => {
    const trail = new Trail();
    const early = trail.add({ kind: 'run', title: 'early', query: 'q', time: '2026-12-01T09:00:00.000Z' });
    const late = trail.add({ kind: 'run', title: 'late', query: 'q', time: '2026-12-01T09:05:00.000Z' });
    // A run that started before `late` but finished after it is added last.
    const slow = trail.add({ kind: 'run', title: 'slow', query: 'q', time: '2026-12-01T09:02:00.000Z' });
    assert.deepEqual(trail.all.map((step) => step.title), ['early', 'slow', 'late']);
    assert.equal(trail.currentStep?.id, slow.id, 'the added step is not current');

    // A pivot opened early and run last moves to its run time.
    trail.select(late.id);
    trail.update(early.id, { time: '2026-12-01T09:10:00.000Z' });
    assert.deepEqual(trail.all.map((step) => step.title), ['slow', 'late', 'early']);
    assert.equal(trail.currentStep?.id, late.id, 'moving a step changed the current step');
  });

  it('round-trips the error and request id', () => {
    const trail = new Trail();
    trail.add({ kind: 'run', title: 't', query: 'q', time: '2026-12-01T09:00:00.000Z', status: 'Failure', rowCount: 0, error: { code: 'ThrottledError', message: 'Too many.' }, requestId: 'req-9' });
    const restored = Trail.fromJSON(JSON.parse(JSON.stringify(trail)));
    assert.deepEqual(restored.all[0]?.error, { code: 'ThrottledError', message: 'Too many.' });
    assert.equal(restored.all[0]?.requestId, 'req-9');
  });

  it('rejects a value that is not a trail', () => {
    assert.throws(() => Trail.fromJSON('[]'), /expected an object/);
    assert.throws(() => Trail.fromJSON({ version: TRAIL_FORMAT_VERSION, steps: {} }), /"steps" is not an array/);
  });

  it('clamps a stored current index', () => {
    const data = { ...sampleTrail().toJSON(), current: 99 };
    assert.equal(Trail.fromJSON(data).currentStep?.id, 's3');
  });

  it('shows steps whose source left the trail at the root', () => {
    const step: TrailStep = { ...sampleTrail().all[2], id: 's1' };
    const trail = Trail.fromJSON({ version: TRAIL_FORMAT_VERSION, steps: [step], current: 0, nextId: 2 });
    assert.deepEqual(trail.childrenOf(undefined).map((item) => item.id), ['s1']);
  });
});

describe('trail Markdown', () => {
  it('marks failed and partial runs instead of showing 0 rows', () => {
    const trail = new Trail();
    trail.add({ kind: 'run', title: 'Failed hunt', query: 'SigninLogs', time: '2026-12-01T09:00:00.000Z', status: 'Failure', rowCount: 0 });
    trail.add({ kind: 'run', title: 'Partial hunt', query: 'SigninLogs', time: '2026-12-01T09:01:00.000Z', status: 'PartialFailure', rowCount: 7 });
    const text = trailMarkdown(trail, '2026-12-01T10:00:00.000Z');
    assert.match(text, /^\| 1 \| run \| Failed hunt \| failed, no rows \|/m);
    assert.match(text, /^- Rows: failed, no rows$/m);
    assert.match(text, /^\| 2 \| run \| Partial hunt \| 7 \(partial: the run failed after these rows\) \|/m);
  });

  it('records why a run failed and its request id', () => {
    const trail = new Trail();
    trail.add({
      kind: 'run',
      title: 'Throttled hunt',
      query: 'SigninLogs',
      time: '2026-12-01T09:00:00.000Z',
      status: 'Failure',
      rowCount: 0,
      error: { code: 'ThrottledError', message: 'Too many requests <img src=x> [link](https://evil.example)\nsecond line' },
      requestId: 'req-429',
    });
    const text = trailMarkdown(trail, '2026-12-01T10:00:00.000Z');
    assert.match(text, /^- Rows: failed, no rows$/m);
    assert.match(text, /^- Error: ThrottledError: Too many requests \\<img src=x\\> \\\[link\\\]\(https\\:\/\/evil\.example\) second line$/m);
    assert.match(text, /^- Request id: req-429$/m);
  });

  it('marks a cancelled run as cancelled', () => {
    const trail = new Trail();
    trail.add({
      kind: 'run',
      title: 'Cancelled hunt',
      query: 'SigninLogs',
      time: '2026-12-01T09:00:00.000Z',
      status: 'Failure',
      rowCount: 0,
      error: { code: 'Cancelled', message: 'The request was cancelled by the user.' },
    });
    const text = trailMarkdown(trail, '2026-12-01T10:00:00.000Z');
    assert.match(text, /^\| 1 \| run \| Cancelled hunt \| cancelled, no rows \|/m);
    assert.match(text, /^- Rows: cancelled, no rows$/m);
    assert.doesNotMatch(text, /failed/);
  });

  it('lists every step with query, entity, counts and evidence', () => {
    const text = trailMarkdown(sampleTrail(), '2026-12-01T10:00:00.000Z');
    assert.match(text, /^# Investigation trail$/m);
    assert.match(text, /Generated by Hunt Lens at 2026-12-01T10:00:00\.000Z\. 3 steps\./);
    assert.match(text, /^\| 1 \| run \| Success after repeated MFA failures \| 2 \| 2026-12-01T09:00:00\.000Z \|$/m);
    assert.match(text, /^\| 3 \| pivot \| Sign-ins from one IP address \| not run \|/m);
    assert.match(text, /^## 2\. Mailbox and file activity after the approval$/m);
    assert.match(text, /^- Pivot: Activity after the approval from step 1$/m);
    assert.match(text, /^- Entity: user alice@contoso\.com, IP address 203\.0\.113\.7, approval time 2026-12-01T02:13:00\.000Z, denials 14 \(row 1\)$/m);
    assert.match(text, /^ {2}- startTime: 2026-12-01T02:13:00\.000Z$/m);
    assert.match(text, /^- Rows: 5$/m);
    assert.match(text, /^- Evidence: <file:\/\/\/cases\/42\/evidence%201\.json>$/m);
    assert.ok(text.includes('```kql\n' + PIVOT_QUERY + '\n```'), 'the pivot query is not in a kql fence');
    assert.match(text, /^- Pivot: Sign-ins from this IP from step 2$/m);
  });

  it('keeps hostile values from adding Markdown', () => {
    const trail = new Trail();
    trail.add({
      kind: 'pivot',
      title: '# Title <img src=x onerror=alert(1)>',
      query: 'print "```"\n````\n',
      time: '2026-12-01T09:00:00.000Z',
      source: { pivot: 'userSignIns', entity: { userPrincipalName: 'eve](javascript:alert(1))\n## injected', rowIndex: 0 } },
    });
    const text = trailMarkdown(trail, '2026-12-01T10:00:00.000Z');
    assert.doesNotMatch(text, /[^\\]<img/, 'an unescaped tag reaches the report');
    assert.doesNotMatch(text, /^## injected/m);
    assert.match(text, /eve\\\]\(javascript:alert\(1\)\) ## injected/);
    assert.ok(text.includes('`````kql\nprint "```"\n````\n`````'), 'the fence is not longer than the backtick runs');
  });

  it('marks bidirectional characters outside the query', () => {
    const trail = new Trail();
    const hostile = 'o\'brien"); union * //\u202Eevil@contoso.example';
    trail.add({
      kind: 'pivot',
      title: `All sign-ins of ${hostile}`,
      query: `let userPrincipalName = "${hostile}";\nSigninLogs`,
      parameters: { userPrincipalName: hostile, note: 'zero\u200Bwidth \u2066isolate\u2069' },
      time: '2026-12-01T09:00:00.000Z',
      source: { pivot: 'userSignIns', entity: { userPrincipalName: hostile, ipAddress: '203.0.113.45', denials: 14, rowIndex: 0 } },
    });
    const text = trailMarkdown(trail, '2026-12-01T10:00:00.000Z');
    const [prose, fence] = text.split('```kql');
    assert.doesNotMatch(prose, /[\u200B\u202A-\u202E\u2066-\u2069]/u, 'a raw bidirectional or invisible character reaches the prose');
    assert.match(prose, /- Entity: user o'brien"\); union \\\* \/\/⟨U\+202E⟩evil@contoso\.example, IP address 203\.0\.113\.45/);
    assert.match(prose, /note: zero⟨U\+200B⟩width ⟨U\+2066⟩isolate⟨U\+2069⟩/);
    assert.ok(fence.includes(`"${hostile}"`), 'the query in the fence is changed');
  });

  it('escapes Markdown punctuation', () => {
    assert.equal(markdownText('a|b*c_d[e]<f>'), 'a\\|b\\*c\\_d\\[e\\]\\<f\\>');
  });

  it('breaks bare URLs', () => {
    assert.equal(markdownText('https://evil.example www.evil.example'), 'https\\://evil.example www\\.evil.example');
  });

  it('fences with at least three backticks', () => {
    assert.equal(fenced('T | take 1\n\n', 'kql'), '```kql\nT | take 1\n```');
  });
});

describe('trail report reproducibility', () => {
  it('names now() of a local run', () => {
    const trail = new Trail();
    trail.add({ kind: 'run', title: 'Local', query: 'SigninLogs', time: '2026-12-01T09:00:00.000Z', target: 'local data in /case/data', referenceTime: '2026-11-29T16:29:39.000Z' });
    assert.match(trailMarkdown(trail, '2026-12-01T10:00:00.000Z'), /^- now\(\): 2026-11-29T16:29:39\.000Z, the instant/m);
  });

  it('keeps referenceTime through a reload', () => {
    const trail = new Trail();
    trail.add({ kind: 'run', title: 'Local', query: 'SigninLogs', time: '2026-12-01T09:00:00.000Z', referenceTime: '2026-11-29T16:29:39.000Z' });
    assert.equal(Trail.fromJSON(trail.toJSON()).all[0]?.referenceTime, '2026-11-29T16:29:39.000Z');
  });

  it('links evidence relative to the report inside the workspace', () => {
    assert.equal(evidenceLink('file:///ws/evidence/a%20b.json', 'file:///ws/investigation-trail.md', 'file:///ws'), 'evidence/a%20b.json');
    assert.equal(evidenceLink('file:///ws/evidence/a.json', 'file:///ws/reports/trail.md', 'file:///ws'), '../evidence/a.json');
  });

  it('keeps absolute links outside the workspace', () => {
    assert.equal(evidenceLink('file:///ws/evidence/a.json', 'file:///tmp/trail.md', 'file:///ws'), 'file:///ws/evidence/a.json');
    assert.equal(evidenceLink('file:///ws2/a.json', 'file:///ws/trail.md', 'file:///ws'), 'file:///ws2/a.json');
    assert.equal(evidenceLink('file:///ws/evidence/a.json', 'file:///ws/trail.md', undefined), 'file:///ws/evidence/a.json');
  });

  it('uses the linker in the report', () => {
    const text = trailMarkdown(sampleTrail(), '2026-12-01T10:00:00.000Z', () => 'evidence/x y.json');
    assert.match(text, /^- Evidence: <evidence\/x%20y\.json>$/m);
  });
});
