// asl-validator 4 ships no type declarations: the part of its API the tests use.
declare module 'asl-validator' {
  interface AslValidation {
    readonly isValid: boolean;
    readonly errors: readonly { readonly message: string }[];
    errorsText(separator?: string): string;
  }
  export default function aslValidator(definition: unknown): AslValidation;
}
