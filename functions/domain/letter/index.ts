export * from './letter.ts';
export * from './reference-letter.ts';
