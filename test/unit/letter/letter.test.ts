import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../functions/domain/config.ts';
import { RuleViolationError, ValidationError } from '../../../functions/domain/errors.ts';
import {
  buildLetter,
  neverHyphenated,
  qrPayloadOf,
  referenceDraft,
  referenceDraftLetter,
  referenceLetter,
  referenceLines,
  referenceRegistration,
  requisiteLines,
} from '../../../functions/domain/letter/index.ts';

const config = parseConfig(
  JSON.parse(readFileSync(new URL('../../../docroute.config.json', import.meta.url), 'utf8')) as unknown,
);
const seedFile = new URL('../../../../shared/seed/reply-07-04-11180.txt', import.meta.url);
/** The seed lies beside the project only where ../shared is; a clone on its own has just the data in reference-letter.ts. */
const seedPresent = existsSync(seedFile);
if (!seedPresent)
  console.log(`letter.test: ${seedFile.pathname} not found — the letter is not compared with the seed file`);

/** The seed's text with its markup gone and its whitespace collapsed. */
const flat = (text: string) =>
  text
    .replace(/<\/?u>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

describe('the reference letter 07-04/11180', () => {
  const letter = referenceLetter(config);

  it('carries the registration, the references and the mark as the seed reads them', () => {
    expect(letter.kind).toBe('registered');
    expect(letter.registration).toEqual({ date: '23.12.2021', number: '07-04/11180' });
    expect(letter.referenceLines).toEqual(['На № 25-24/6781 от 10.06.2014 г.', '№ 239-р от 17.04.2013 г.']);
    expect(letter.mark).toEqual([
      'ДОКУМЕНТ ПОДПИСАН',
      'ЭЛЕКТРОННОЙ ПОДПИСЬЮ',
      'Сертификат 0118EC5A8BAE6CF293EB11EE5A2E22B808',
      'Владелец Куликов Василий Иванович',
      'Действителен с 20.01.2021 по 20.04.2022',
    ]);
    expect(letter.signer).toEqual({
      positionLines: [
        'Исполняющий',
        'обязанности',
        'Главы Красногвардейского',
        'муниципального округа',
        'Ставропольского края',
      ],
      shortName: 'В.И. Куликов',
    });
    expect(letter.executor).toEqual({ name: 'Плаксина Светлана Федоровна', phone: '8(86541) 2-52-41' });
    expect(letter.fileDate).toBe('2021-12-23');
  });

  it('prints the letterhead as the seed does, from the configuration', () => {
    expect(letter.letterhead.nameLines).toEqual([
      'АДМИНИСТРАЦИЯ',
      'КРАСНОГВАРДЕЙСКОГО',
      'МУНИЦИПАЛЬНОГО ОКРУГА',
      'СТАВРОПОЛЬСКОГО КРАЯ',
    ]);
    expect(letter.letterhead.detailLines).toEqual([
      'Ленина ул., д. 46 а, с. Красногвардейское, 356030',
      'тел.: (86541) 2-52-32, факс: (86541) 2-37-64',
      'e-mail: krasnogvardadmin@mail.ru',
      'www.krasnogvardeiskoe.info',
      'ОКПО 46576389, ОГРН 1202600015001,',
      'ИНН 2611008857',
    ]);
  });

  it('words every requisite as the seed file does (references with «№», as the issue writes them)', () => {
    if (!seedPresent) return;
    const seed = flat(readFileSync(seedFile, 'utf8'));
    const notInSeed = requisiteLines(letter)
      .filter((line) => !letter.referenceLines.includes(line))
      .filter((line) => !seed.includes(flat(line)));
    expect(notInSeed).toEqual([]);
  });

  it('holds the seed’s text word for word, the paragraphs split by its page breaks rejoined', () => {
    if (!seedPresent) return;
    const seed = readFileSync(seedFile, 'utf8');
    const blocks = seed
      .split(/\n\s*\n/)
      .map((block) => block.trim())
      .filter((block) => block !== '');
    const first = blocks.findIndex((block) => block.startsWith('Администрация Красногвардейского'));
    const last = blocks.findIndex((block) => block.startsWith('Регулярно освещается'));
    const body = blocks.slice(first, last + 1).join(' ');
    expect(letter.paragraphs.join(' ')).toBe(body);
    expect(letter.paragraphs).toHaveLength(10);
    expect(letter.titleLines).toEqual(blocks.slice(first - 2, first));
  });

  it('carries the document id and the SHA-256 of the signed original for the QR code', () => {
    expect(letter.qrPayload).toBe(
      `docroute:document/${referenceRegistration.documentId};sha256:${referenceRegistration.signedSha256}`,
    );
    expect(qrPayloadOf('x', 'AB'.repeat(32))).toBe(`docroute:document/x;sha256:${'ab'.repeat(32)}`);
  });

  it('names every part but the body among the never hyphenated', () => {
    expect(neverHyphenated).not.toContain('paragraphs');
    expect(neverHyphenated).toEqual(
      expect.arrayContaining([
        'letterhead',
        'registration',
        'addresseeLines',
        'titleLines',
        'signer',
        'mark',
      ]),
    );
  });
});

describe('buildLetter', () => {
  it('makes a draft without number, date, mark or QR code, dated the draft’s day', () => {
    const draft = referenceDraftLetter(config);
    expect(draft.kind).toBe('draft');
    expect(draft.registration).toBeNull();
    expect(draft.mark).toBeNull();
    expect(draft.qrPayload).toBeNull();
    expect(draft.fileDate).toBe('2021-12-22');
    expect(draft.signer.shortName).toBe('В.И. Куликов');
    expect(requisiteLines(draft)).not.toContain('ДОКУМЕНТ ПОДПИСАН');
  });

  it('refuses an unknown signer or executor as a rule violation', () => {
    expect(() =>
      buildLetter({ ...referenceDraft, signer: 'nobody' }, config, { draftDate: '2021-12-22' }),
    ).toThrow(RuleViolationError);
    expect(() =>
      buildLetter({ ...referenceDraft, executor: 'nobody' }, config, { draftDate: '2021-12-22' }),
    ).toThrow(/executor: nobody is not a configured executor/);
  });

  it('names each malformed field', () => {
    try {
      buildLetter(
        { ...referenceDraft, references: [{ number: '', date: '2014-13-10' }], paragraphs: [] },
        config,
        { registration: { ...referenceRegistration, signedSha256: 'abc', regDate: '23.12.2021' } },
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).problems.map((p) => p.field)).toEqual([
        'references.0.number',
        'references.0.date',
        'paragraphs',
        'regDate',
        'signedSha256',
      ]);
    }
  });

  it('prints «На» before the first reference only, and none when there is none', () => {
    expect(referenceLines([])).toEqual([]);
    expect(referenceLines([{ number: '1', date: '2020-01-02' }])).toEqual(['На № 1 от 02.01.2020 г.']);
  });
});
