/** A failure the developer can fix: `fix` is printed after the message, never a stack trace. */
export class FixableError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'FixableError';
  }
}
