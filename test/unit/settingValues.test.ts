import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTING_READERS, type SettingKey } from '../../src/extension/settingValues';

interface ContributedSetting {
  type: string;
  default: unknown;
  enum?: string[];
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ContributedSetting> } };
};
const contributed = new Map(Object.entries(manifest.contributes.configuration.properties).map(([name, setting]) => [name.replace(/^huntLens\./, ''), setting]));

/** Settings read outside the extension host's config module, each by code that checks the type itself. */
const READ_ELSEWHERE = /^(endpoints\.|trace\.server$)/;

/** One value of each JSON type; the test uses those that do not match a setting's declared type. */
const WRONG_VALUES: Array<[string, unknown]> = [
  ['number', 5],
  ['object', { path: 'data' }],
  ['array', ['data']],
  ['null', null],
  ['boolean', true],
  ['string', 'yesterday'],
];

function matchesType(setting: ContributedSetting, value: unknown): boolean {
  switch (setting.type) {
    case 'string':
      return typeof value === 'string' && (setting.enum === undefined || setting.enum.includes(value));
    case 'number':
    case 'integer':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    default:
      return false;
  }
}

describe('setting readers', () => {
  it('cover every contributed setting', () => {
    const missing = [...contributed.keys()].filter((key) => !READ_ELSEWHERE.test(key) && !(key in SETTING_READERS));
    assert.deepEqual(missing, []);
  });

  it('read only contributed settings', () => {
    const unknown = Object.keys(SETTING_READERS).filter((key) => !contributed.has(key));
    assert.deepEqual(unknown, []);
  });

  it('use the contributed default when unset', () => {
    for (const [key, reader] of Object.entries(SETTING_READERS)) {
      const read = reader(undefined);
      assert.deepEqual(read.value, contributed.get(key)?.default, key);
      assert.equal(read.problem, undefined, key);
    }
  });

  it('replace wrong JSON types with the default', () => {
    for (const key of Object.keys(SETTING_READERS) as SettingKey[]) {
      const setting = contributed.get(key);
      assert.ok(setting, key);
      for (const [typeName, value] of WRONG_VALUES.filter(([, candidate]) => !matchesType(setting, candidate))) {
        const read = SETTING_READERS[key](value);
        const label = `${key} set to a ${typeName}`;
        assert.deepEqual(read.value, setting.default, label);
        assert.ok(read.problem, `${label} gave no problem`);
        assert.ok(read.problem.startsWith(`huntLens.${key} ${JSON.stringify(value)} is invalid, so `), `${label}: ${read.problem}`);
        assert.match(read.problem, /\. Set /, `${label} names no fix: ${read.problem}`);
      }
    }
  });

  it('names the folder used for a number', () => {
    const read = SETTING_READERS['localData.folder'](5);
    assert.equal(read.value, 'data');
    assert.equal(read.problem, 'huntLens.localData.folder 5 is invalid, so "data" is used. Set it to text in quotes.');
  });

  it('clamps numbers out of range', () => {
    const read = SETTING_READERS['localData.maxMemoryMb'](10);
    assert.equal(read.value, 256);
    assert.equal(read.problem, 'huntLens.localData.maxMemoryMb 10 is invalid, so 256 MB is used. Set a whole number from 256 to 65536.');
  });

  it('accepts valid values without a problem', () => {
    assert.deepEqual(SETTING_READERS['pivots.maxLenses'](7), { value: 7 });
    assert.deepEqual(SETTING_READERS['localData.folder']('  exports '), { value: 'exports' });
    assert.deepEqual(SETTING_READERS.tenant(''), { value: '' });
    assert.deepEqual(SETTING_READERS['results.timeZone']('local'), { value: 'local' });
  });
});
