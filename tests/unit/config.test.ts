import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFilesFromEnv, defaultConfigPath, loadConfig, mergeConfig } from '../../config/load-config';
import { ErrorCode, RelanceError, type FieldIssue } from '../../domain/errors';

const dir = mkdtempSync(join(tmpdir(), 'relance-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
/** Writes an override file and returns its path. */
function override(yaml: string): string {
  fileCount += 1;
  const file = join(dir, `override-${fileCount}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

/** Loads with overrides that must fail; returns the error's message and its issues by path. */
function failure(...files: string[]): { message: string; issues: Record<string, string> } {
  try {
    loadConfig(files);
  } catch (error) {
    expect(error).toBeInstanceOf(RelanceError);
    const relance = error as RelanceError;
    expect(relance.code).toBe(ErrorCode.InvalidConfig);
    return {
      message: relance.message,
      issues: Object.fromEntries(relance.issues.map((i: FieldIssue) => [i.path, i.message])),
    };
  }
  return expect.fail('expected the configuration to be rejected');
}

describe('configuration loading', () => {
  it('when no override is given, then the default file loads as the typed configuration', () => {
    const config = loadConfig();
    expect(config.locales).toEqual(['fr-FR', 'en-GB']);
    expect(config.policy.windows.email).toEqual([
      {
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
        from: '08:00',
        to: '20:00',
        skipPublicHolidays: true,
      },
    ]);
    expect(config.policy.caps).toHaveLength(4);
  });

  it('when an override has a bad value, then the error names the file, the path and what was expected', () => {
    const file = override(`policy:
  windows:
    email:
      - { days: [mon, tue], from: '8h', to: '20:00', skipPublicHolidays: true }
`);
    const { message, issues } = failure(file);
    expect(issues['policy.windows.email[0].from']).toBe(
      `expected a local time HH:MM, such as "09:30" (in ${file})`,
    );
    expect(message).toContain(
      `policy.windows.email[0].from: expected a local time HH:MM, such as "09:30" (in ${file})`,
    );
  });

  it('when a value has the wrong type, then it is reported as such, not as missing', () => {
    const file = override(`messages:\n  smsMaxSegments: three\n`);
    expect(failure(file).issues).toEqual({
      'messages.smsMaxSegments': `expected number, received string (in ${file})`,
    });
  });

  it("when a value is out of range or not an allowed option, then zod's wording reads as what was expected", () => {
    const file = override(`policy:
  caps:
    - { purpose: marketing, channel: fax, max: 0, per: { rollingDays: 7 } }
  marketingStopsAtEscalation: 11
`);
    expect(failure(file).issues).toEqual({
      'policy.caps[0].channel': `expected one of "email"|"sms" (in ${file})`,
      'policy.caps[0].max': `expected number to be >=1 (in ${file})`,
      'policy.marketingStopsAtEscalation': `expected number to be <=10 (in ${file})`,
    });
  });

  it('when a required key is missing from a replaced array item, then it is named as required', () => {
    const file = override(`policy:
  windows:
    sms:
      - { days: [mon], from: '09:00', to: '19:00' }
`);
    expect(failure(file).issues).toEqual({
      'policy.windows.sms[0].skipPublicHolidays': `required: expected boolean (in ${file})`,
    });
  });

  it('when an override has a key the schema does not know, then it is refused', () => {
    const file = override(`policy:\n  quietHours: true\n`);
    expect(failure(file).issues).toEqual({ policy: `unknown field(s): quietHours (in ${file})` });
  });

  it('when two windows of a channel overlap on a day, then the error says which and on which day', () => {
    const file = override(`policy:
  windows:
    sms:
      - { days: [mon, tue], from: '09:00', to: '12:00', skipPublicHolidays: true }
      - { days: [tue, wed], from: '11:00', to: '19:00', skipPublicHolidays: true }
`);
    expect(failure(file).issues).toEqual({
      'policy.windows.sms[1]': `expected a window that does not overlap window 0 (both are open on tue) (in ${file})`,
    });
  });

  it('when two windows only touch, or share hours on different days, then they are fine', () => {
    const file = override(`policy:
  windows:
    sms:
      - { days: [mon, tue], from: '09:00', to: '12:00', skipPublicHolidays: true }
      - { days: [mon, tue], from: '12:00', to: '19:00', skipPublicHolidays: true }
      - { days: [sat], from: '10:00', to: '12:00', skipPublicHolidays: true }
`);
    expect(loadConfig([file]).policy.windows.sms).toHaveLength(3);
  });

  it('when a channel has no window, or a window that closes when it opens, then it is refused', () => {
    const none = override(`policy:\n  windows:\n    sms: []\n`);
    expect(failure(none).issues).toEqual({
      'policy.windows.sms': `expected at least one send window: a channel with none could never deliver (in ${none})`,
    });
    const empty = override(`policy:
  windows:
    email:
      - { days: [mon], from: '10:00', to: '10:00', skipPublicHolidays: true }
`);
    expect(failure(empty).issues).toEqual({
      'policy.windows.email[0].to': `expected an opening time before the closing time (in ${empty})`,
    });
    const noDays = override(`policy:
  windows:
    email:
      - { days: [], from: '10:00', to: '12:00', skipPublicHolidays: true }
`);
    expect(failure(noDays).issues['policy.windows.email[0].days']).toBe(
      `expected at least one weekday (in ${noDays})`,
    );
  });

  it('when two caps count the same purpose, channel and window, then the duplicate is refused', () => {
    const file = override(`policy:
  caps:
    - { purpose: marketing, channel: sms, max: 2, per: { rollingDays: 7 } }
    - { purpose: marketing, channel: sms, max: 5, per: { rollingDays: 7 } }
`);
    expect(failure(file).issues).toEqual({
      'policy.caps[1]': `expected one cap per purpose, channel and window (caps[0] already counts the same) (in ${file})`,
    });
  });

  it('when the default schedule is not defined, then the known invoice schedules are listed', () => {
    const file = override(`defaultSchedule: invoice-gentle\n`);
    expect(failure(file).issues).toEqual({
      defaultSchedule: `expected an invoice schedule id defined under schedules (invoice-standard) (in ${file})`,
    });
  });

  it('when the default schedule is an expiry schedule, then it is refused (invoices need an invoice schedule)', () => {
    const file = override(`defaultSchedule: voucher-expiry\n`);
    expect(failure(file).issues).toEqual({
      defaultSchedule: `expected an invoice schedule id defined under schedules (invoice-standard) (in ${file})`,
    });
  });

  it('when the defaults load, then the four expiry schedules of the contract are there, at 10:00, with their kind and purpose', () => {
    const { schedules } = loadConfig();
    const summary = (id: string) => {
      const s = schedules[id];
      return (
        s && {
          kind: s.kind,
          purpose: s.purpose,
          sendAt: s.sendAt,
          steps: s.steps.map(
            (step) => `${step.id} ${JSON.stringify(step.offset)} ${step.channels.join('+')}`,
          ),
        }
      );
    };
    expect(summary('loyalty-card-expiry')).toEqual({
      kind: 'card',
      purpose: 'transactional',
      sendAt: '10:00',
      steps: ['expiry-30 {"days":-30} email', 'expiry-7 {"days":-7} email+sms', 'expired {"days":1} email'],
    });
    expect(summary('payment-card-expiry')?.steps).toEqual([
      'expiry-30 {"days":-30} email',
      'expiry-7 {"days":-7} email+sms',
      'expiry-1 {"days":-1} email',
    ]);
    expect(summary('voucher-expiry')).toMatchObject({ kind: 'voucher', purpose: 'marketing' });
    expect(summary('voucher-expiry')?.steps).toEqual([
      'expiry-14 {"days":-14} email',
      'expiry-3 {"days":-3} sms',
    ]);
    expect(summary('points-expiry')).toMatchObject({ kind: 'points', purpose: 'marketing' });
    expect(summary('points-expiry')?.steps).toEqual([
      'expiry-30 {"days":-30} email',
      'expiry-7 {"days":-7} sms',
    ]);
  });

  it('when an invoice schedule lacks installments or an expiry schedule hands off, then each is refused', () => {
    const file = override(`schedules:
  invoice-lite:
    description: no plan rule
    steps: [{ id: one, offset: { days: 1 }, channels: [email], template: invoice-overdue-1 }]
  voucher-odd:
    description: hands off
    kind: voucher
    steps: [{ id: stop, offset: { days: 1 }, action: handoff }]
`);
    expect(failure(file).issues).toEqual({
      'schedules.invoice-lite.installments': `expected an installment rule on an invoice schedule (payment plans need it) (in ${file})`,
      'schedules.voucher-odd.steps': `expected send steps only (a hand-off step belongs to invoice schedules) (in ${file})`,
    });
  });

  it('when a handoff is not the last step, then the schedule is refused', () => {
    const file = override(`schedules:
  invoice-standard:
    steps:
      - { id: handoff, offset: { days: 20 }, action: handoff }
      - { id: late, offset: { days: 25 }, channels: [email], template: invoice-overdue-1 }
`);
    expect(failure(file).issues).toEqual({
      'schedules.invoice-standard.steps[0]': `expected the handoff step as the last step (nothing runs after a handoff) (in ${file})`,
    });
  });

  it('when a step is incomplete or repeats an id, then each problem is named clearly', () => {
    const file = override(`schedules:
  invoice-standard:
    steps:
      - { id: first, offset: { days: 1 } }
      - { id: first, offset: { days: 2 }, channels: [email], template: invoice-overdue-1 }
      - { id: stop, offset: { days: 3 }, action: handoff, channels: [sms] }
`);
    expect(failure(file).issues).toEqual({
      'schedules.invoice-standard.steps[0].channels': `expected at least one channel on a send step (in ${file})`,
      'schedules.invoice-standard.steps[0].template': `expected a template id on a send step (in ${file})`,
      'schedules.invoice-standard.steps[1].id': `expected a step id used once ("first" is used twice) (in ${file})`,
      'schedules.invoice-standard.steps[2].channels': `expected no channels on a handoff step (it sends nothing) (in ${file})`,
    });
  });

  it('when an override sets an array, then it replaces the default array', () => {
    const file = override(`policy:
  caps:
    - { purpose: transactional, channel: email, max: 2, per: local_day }
`);
    expect(loadConfig([file]).policy.caps).toEqual([
      { purpose: 'transactional', channel: 'email', max: 2, per: 'local_day' },
    ]);
  });

  it('when an override sets some keys of an object, then the other keys keep their defaults', () => {
    const file = override(`company:\n  name: Autre Maison\n  email:\n    fromName: Autre Maison\n`);
    const config = loadConfig([file]);
    expect(config.company.name).toBe('Autre Maison');
    expect(config.company.email).toEqual({
      from: 'relances@maison-exemple.fr',
      fromName: 'Autre Maison',
      replyTo: 'comptabilite@maison-exemple.fr',
    });
    expect(config.schedules['invoice-standard']?.steps).toHaveLength(5);
  });

  it('when several overrides set a key, then the last wins and an error names the file that set the value', () => {
    const first = override(`messages:\n  smsMaxSegments: 2\npolicy:\n  promiseToPayGraceDays: 5\n`);
    const second = override(`messages:\n  smsMaxSegments: 4\n`);
    const config = loadConfig([first, second]);
    expect(config.messages.smsMaxSegments).toBe(4);
    expect(config.policy.promiseToPayGraceDays).toBe(5);
    const broken = override(`policy:\n  promiseToPayGraceDays: 90\n`);
    expect(failure(first, broken, second).issues).toEqual({
      'policy.promiseToPayGraceDays': `expected number to be <=60 (in ${broken})`,
    });
  });

  it('when an override is not valid YAML or cannot be read, then the error names the file', () => {
    const yaml = override(`policy: [\n`);
    expect(failure(yaml).message).toMatch(new RegExp(`^${yaml} line \\d+: not valid YAML`));
    const missing = join(dir, 'nowhere.yaml');
    expect(failure(missing).message).toContain(`Cannot read configuration file ${missing}`);
  });

  it('when the default file is among the layers, then its path is the one shipped with the project', () => {
    expect(defaultConfigPath).toMatch(/config[/\\]default\.yaml$/);
  });
});

describe('merging and the environment', () => {
  it('when objects merge, then keys merge deeply; arrays and scalars replace', () => {
    expect(
      mergeConfig({ a: { b: 1, c: [1, 2], d: { e: 1 } }, f: 'x' }, { a: { c: [3], d: { g: 2 } }, f: null }),
    ).toEqual({ a: { b: 1, c: [3], d: { e: 1, g: 2 } }, f: null });
  });

  it('when RELANCE_CONFIG lists files, then they are taken in order, blanks ignored', () => {
    expect(configFilesFromEnv({ RELANCE_CONFIG: ' a.yaml, ,b.yaml ' })).toEqual(['a.yaml', 'b.yaml']);
    expect(configFilesFromEnv({})).toEqual([]);
  });
});

describe('schedule offsets', () => {
  it('when a step gives its offset in a form the schema does not know, then the message says which forms it takes', async () => {
    const { scheduleSchema } = await import('../../config/schedule-schema');
    const parsed = scheduleSchema.safeParse({
      description: 'a team schedule',
      steps: [{ id: 'a', offset: -14, channels: ['email'], template: 'voucher-expiry-14' }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.find((i) => i.path.join('.') === 'steps.0.offset')?.message).toContain(
      '{ "days": n }',
    );
  });
});
