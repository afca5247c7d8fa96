/** Where the API's token-signing secret comes from: a file locally, Secrets Manager in AWS. */
export type SecretSource = () => Promise<string>;
