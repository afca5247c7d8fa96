/** The name attributes Russian qualified certificates carry (SIGNATURES.md), by short name and OID. */
export const nameFieldOids = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  G: '2.5.4.42',
  T: '2.5.4.12',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  street: '2.5.4.9',
  INN: '1.2.643.3.131.1.1',
  INNLE: '1.2.643.100.4',
  OGRN: '1.2.643.100.1',
  SNILS: '1.2.643.100.3',
  E: '1.2.840.113549.1.9.1',
  C: '2.5.4.6',
} as const;

export type NameField = keyof typeof nameFieldOids;

export const isNameField = (value: string): value is NameField => Object.hasOwn(nameFieldOids, value);

/** Each attribute's string type, as qualified certificates write them: digits as NumericString. */
export const nameFieldStringType: Readonly<Record<NameField, 'utf8' | 'printable' | 'numeric' | 'ia5'>> = {
  CN: 'utf8',
  SN: 'utf8',
  G: 'utf8',
  T: 'utf8',
  O: 'utf8',
  OU: 'utf8',
  L: 'utf8',
  ST: 'utf8',
  street: 'utf8',
  INN: 'numeric',
  INNLE: 'numeric',
  OGRN: 'numeric',
  SNILS: 'numeric',
  E: 'ia5',
  C: 'printable',
};
