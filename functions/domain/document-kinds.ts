/** The kinds of incoming documents; a citizen's appeal (59-ФЗ) has a deadline of its own. */
export const documentKinds = [
  'request',
  'citizen_appeal',
  'appeal',
  'letter',
  'order',
  'notice',
  'other',
] as const;
export type DocumentKind = (typeof documentKinds)[number];
