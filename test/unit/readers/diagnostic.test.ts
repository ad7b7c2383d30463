import * as assert from 'node:assert/strict';
import { readExportFile } from '../../../src/engine/readers';
import { makeFixtureFolder, problemCollector, readAll, rowsOf, writeFixture } from './helpers';

const signInRecord = {
  time: '2026-11-26T07:17:02.000Z',
  category: 'SignInLogs',
  operationName: 'Sign-in activity',
  resultType: '500121',
  resultDescription: 'Authentication failed during strong authentication request.',
  correlationId: 'c-1',
  properties: {
    id: 'r-1',
    createdDateTime: '2026-11-26T07:17:01.000Z',
    userPrincipalName: 'elif@contoso.example',
    ipAddress: '203.0.113.77',
    status: { errorCode: 500121, additionalDetails: 'MFA denied; Phone App Reported Fraud' },
  },
};

const auditRecord = {
  time: '2026-11-25T02:26:25.000Z',
  category: 'AuditLogs',
  operationName: 'User registered security info',
  properties: {
    id: 'audit-1',
    category: 'UserManagement',
    result: 'success',
    activityDisplayName: 'User registered security info',
    loggedByService: 'Authentication Methods',
    initiatedBy: { user: { userPrincipalName: 'ben@contoso.example', ipAddress: '203.0.113.45' } },
    targetResources: [{ userPrincipalName: 'ben@contoso.example' }],
  },
};

describe('Azure Monitor diagnostic reader', () => {
  it('maps sign-in and audit records by category', async () => {
    const folder = await makeFixtureFolder();
    const unsupported = { time: '2026-11-26T00:00:00Z', category: 'ProvisioningLogs', properties: {} };
    const text = [signInRecord, auditRecord, unsupported, unsupported].map((record) => JSON.stringify(record)).join('\n');
    const file = await writeFixture(folder, 'PT1H.json', text);
    const { problems, onProblem } = problemCollector();
    const results = await readAll(await readExportFile(file, { onProblem }));

    const [signIn] = rowsOf(results, 'SigninLogs');
    assert.equal(signIn.TimeGenerated, '2026-11-26T07:17:02.000Z');
    assert.equal(signIn.ResultType, '500121');
    assert.equal(signIn.CorrelationId, 'c-1');
    assert.equal(signIn.Category, 'SignInLogs');
    assert.deepEqual(signIn.Status, signInRecord.properties.status);

    const [audit] = rowsOf(results, 'AuditLogs');
    assert.equal(audit.OperationName, 'User registered security info');
    assert.equal(audit.Category, 'UserManagement');
    assert.deepEqual(audit.TargetResources, [{ userPrincipalName: 'ben@contoso.example' }]);
    assert.deepEqual(audit.InitiatedBy, auditRecord.properties.initiatedBy);

    assert.equal(problems.length, 1, 'an unsupported category is reported once');
    assert.equal(problems[0].line, 3);
    assert.match(problems[0].message, /ProvisioningLogs/);
  });
});
