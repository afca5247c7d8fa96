import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Config, parseConfig } from '../../functions/domain/config.ts';
import { ValidationError } from '../../functions/domain/errors.ts';

const shippedPath = new URL('../../docroute.config.json', import.meta.url);

interface RawJournal {
  title: string;
  direction: string;
  template: string;
  index?: string;
  startingNumbers?: Record<string, number>;
}

/** The shape of docroute.config.json, loosely: only what these tests change. */
interface RawConfig {
  organization: { inn: string; ogrn: string };
  timeZone: string;
  journals: { incoming?: RawJournal; outgoing: RawJournal };
  executors: Record<string, { supervisor?: string }> & { plaksina: { supervisor?: string } };
  deadlines?: unknown;
}

/** A fresh copy of the shipped configuration as plain JSON, safe to mutate. */
function shippedRaw(): RawConfig {
  return JSON.parse(readFileSync(shippedPath, 'utf8')) as RawConfig;
}

function rejection(raw: unknown): ValidationError {
  try {
    parseConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected parseConfig to reject the configuration');
}

function fieldsOf(error: ValidationError): string[] {
  return error.problems.map((p) => p.field);
}

describe('the shipped docroute.config.json', () => {
  const config: Config = parseConfig(shippedRaw());

  it('parses and carries the seed letterhead: four name lines and the reference data', () => {
    expect(config.organization.nameLines).toEqual([
      'АДМИНИСТРАЦИЯ',
      'КРАСНОГВАРДЕЙСКОГО',
      'МУНИЦИПАЛЬНОГО ОКРУГА',
      'СТАВРОПОЛЬСКОГО КРАЯ',
    ]);
    expect(config.organization.okpo).toBe('46576389');
    expect(config.organization.ogrn).toBe('1202600015001');
    expect(config.organization.inn).toBe('2611008857');
  });

  it('works in Europe/Moscow', () => {
    expect(config.timeZone).toBe('Europe/Moscow');
  });

  it('has an incoming and an outgoing journal; outgoing numbers as 07-04/{seq}, yearly', () => {
    const { incoming, outgoing } = config.journals;
    expect(incoming?.direction).toBe('incoming');
    expect(outgoing?.direction).toBe('outgoing');
    expect(outgoing?.index).toBe('07-04');
    expect(outgoing?.template).toBe('{index}/{seq}');
    expect(outgoing?.resetsYearly).toBe(true);
  });

  it('knows signer kulikov and executor plaksina with her phone, addresses and supervisor', () => {
    const { kulikov } = config.signers;
    const { plaksina } = config.executors;
    expect(kulikov?.shortName).toBe('В.И. Куликов');
    expect(kulikov?.positionLines.length).toBeGreaterThan(0);
    expect(kulikov?.email).toMatch(/@/);
    expect(plaksina).toMatchObject({
      fullName: 'Плаксина Светлана Федоровна',
      phone: '8(86541) 2-52-41',
      supervisor: 'kulikov',
    });
    expect(plaksina?.email).toMatch(/@/);
  });

  it('refuses a supervisor or a deadline kind it does not know, naming the field', () => {
    const raw = shippedRaw();
    raw.executors.plaksina.supervisor = 'nobody';
    raw.deadlines = { byKind: { memo: 10 } };
    expect(() => parseConfig(raw)).toThrow(
      /executors\.plaksina\.supervisor: unknown signer or executor 'nobody'.*deadlines\.byKind\.memo: unknown document kind/,
    );
  });
});

describe('parseConfig defaults', () => {
  it('GIVEN a journal without index, resetsYearly or startingNumbers THEN they default to "", true and {}', () => {
    const raw = shippedRaw();
    raw.journals.incoming = { title: 'Входящие', direction: 'incoming', template: '{seq}' };
    const { incoming } = parseConfig(raw).journals;
    expect(incoming).toMatchObject({ index: '', resetsYearly: true, startingNumbers: {} });
  });
});

describe('parseConfig rejects broken configurations, naming the field', () => {
  it('GIVEN an unknown time zone THEN the problem is on timeZone', () => {
    const raw = shippedRaw();
    raw.timeZone = 'Europe/Atlantis';
    expect(fieldsOf(rejection(raw))).toEqual(['timeZone']);
  });

  it('GIVEN an outgoing template without {seq} THEN the problem is on journals.outgoing.template', () => {
    const raw = shippedRaw();
    raw.journals.outgoing.template = '{index}/{year}';
    const error = rejection(raw);
    expect(error.problems).toEqual([{ field: 'journals.outgoing.template', problem: 'must contain {seq}' }]);
  });

  it('GIVEN a template whose numbers could exceed 31 characters THEN the problem names the template and the limit', () => {
    const raw = shippedRaw();
    raw.journals.outgoing.index = '07-04-0123456789AB'; // 18 + "/" + 7 digits + "/" + 4 = 31 is fine...
    raw.journals.outgoing.template = '{index}/{seq}/{year}/'; // ...one more character is not
    const error = rejection(raw);
    expect(fieldsOf(error)).toEqual(['journals.outgoing.template']);
    expect(error.problems[0]?.problem).toMatch(/31 characters/);
  });

  it('GIVEN a template whose longest number is exactly 31 characters THEN it is accepted', () => {
    const raw = shippedRaw();
    raw.journals.outgoing.index = '07-04-0123456789AB';
    raw.journals.outgoing.template = '{index}/{seq}/{year}';
    const { outgoing } = parseConfig(raw).journals;
    expect(outgoing?.template).toBe('{index}/{seq}/{year}');
  });

  it('GIVEN an unknown extra field at the top level THEN it is reported by name', () => {
    const raw = shippedRaw();
    Object.assign(raw, { colour: 'blue' });
    const error = rejection(raw);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.problem).toMatch(/unknown field: colour/);
  });

  it('GIVEN an unknown extra field inside a journal THEN the problem is located in that journal', () => {
    const raw = shippedRaw();
    Object.assign(raw.journals.outgoing, { prefix: 'ИСХ' });
    const error = rejection(raw);
    expect(fieldsOf(error)).toEqual(['journals.outgoing']);
    expect(error.problems[0]?.problem).toMatch(/prefix/);
  });

  it.each(['261100885', '26110088570', '26110088A7', ''])(
    'GIVEN the bad INN %j THEN the problem is on organization.inn',
    (inn) => {
      const raw = shippedRaw();
      raw.organization.inn = inn;
      expect(fieldsOf(rejection(raw))).toEqual(['organization.inn']);
    },
  );

  it('GIVEN no incoming journal THEN journals.incoming is required', () => {
    const raw = shippedRaw();
    delete raw.journals.incoming;
    expect(rejection(raw).problems).toEqual([{ field: 'journals.incoming', problem: 'is required' }]);
  });

  it('GIVEN several problems THEN all of them are reported', () => {
    const raw = shippedRaw();
    raw.timeZone = 'Nowhere/Special';
    raw.organization.ogrn = '123';
    raw.journals.outgoing.template = 'no placeholder';
    expect(fieldsOf(rejection(raw)).sort()).toEqual([
      'journals.outgoing.template',
      'organization.ogrn',
      'timeZone',
    ]);
  });

  it('GIVEN a template with an unknown placeholder THEN the problem names the field and the placeholder', () => {
    const raw = shippedRaw();
    raw.journals.outgoing.template = '{seq}-{bogus}';
    expect(rejection(raw).problems).toEqual([
      {
        field: 'journals.outgoing.template',
        problem: 'unknown placeholder {bogus}; the known ones are {index}, {seq}, {year}',
      },
    ]);
  });

  it('GIVEN a misspelt {seq} THEN both the missing {seq} and the unknown placeholder are reported', () => {
    const raw = shippedRaw();
    raw.journals.outgoing.template = '{index}/{Seq}';
    expect(rejection(raw).problems.map((p) => p.problem)).toEqual([
      'must contain {seq}',
      'unknown placeholder {Seq}; the known ones are {index}, {seq}, {year}',
    ]);
  });

  it('GIVEN a brace that belongs to no placeholder THEN it is refused', () => {
    const raw = shippedRaw();
    raw.journals.outgoing.template = '{index}/{seq}}';
    expect(rejection(raw).problems).toEqual([
      { field: 'journals.outgoing.template', problem: 'has a { or } that opens or closes no placeholder' },
    ]);
  });

  it('GIVEN every known placeholder THEN the template is accepted', () => {
    const raw = shippedRaw();
    raw.journals.outgoing.template = '{index}/{seq}/{year}';
    const { outgoing } = parseConfig(raw).journals;
    expect(outgoing?.template).toBe('{index}/{seq}/{year}');
  });

  it('GIVEN two journals with the same index and template THEN both fields are named', () => {
    const raw = shippedRaw();
    raw.journals.outgoing.index = raw.journals.incoming?.index ?? '';
    const error = rejection(raw);
    expect(fieldsOf(error)).toEqual(['journals.incoming.template', 'journals.outgoing.template']);
    expect(error.problems[0]?.problem).toBe(
      'hands out the same numbers as journals.outgoing.template (such as 01-05/1 in 2021); numbers must not repeat across journals',
    );
    expect(error.problems[1]?.problem).toMatch(/^hands out the same numbers as journals\.incoming\.template/);
  });

  it('GIVEN templates that render the same numbers with different indexes THEN both fields are named', () => {
    const raw = shippedRaw();
    raw.journals.outgoing.index = '';
    raw.journals.outgoing.template = '01-05/{seq}'; // incoming is {index}/{seq} with index 01-05
    expect(fieldsOf(rejection(raw))).toEqual(['journals.incoming.template', 'journals.outgoing.template']);
  });

  it('GIVEN two journals that share an index but number differently THEN they are accepted', () => {
    const raw = shippedRaw();
    raw.journals.outgoing.index = raw.journals.incoming?.index ?? '';
    raw.journals.outgoing.template = '{index}/{seq}-и';
    expect(Object.keys(parseConfig(raw).journals)).toEqual(['incoming', 'outgoing']);
  });

  it('GIVEN a startingNumbers key that is not a year THEN it is rejected', () => {
    const raw = shippedRaw();
    raw.journals.outgoing.startingNumbers = { next: 11000 };
    expect(fieldsOf(rejection(raw))[0]).toMatch(/^journals\.outgoing\.startingNumbers/);
  });
});
