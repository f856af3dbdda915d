/**
 * A backend refused an append for its size: the events together are larger than it takes in one
 * write. Splitting the batch or making the events smaller is the cure; retrying is not.
 */
export class AppendTooLargeError extends Error {
  constructor(
    readonly backend: string,
    readonly streamName: string,
    readonly eventCount: number,
    /** The backend's limit, in bytes. */
    readonly maxAppendSizeBytes: number,
    setting: string,
  ) {
    super(
      `appendToStream(${streamName}): the ${eventCount} event(s) are larger than the ${maxAppendSizeBytes} bytes ${backend} takes in one append (${setting})`,
    );
    this.name = 'AppendTooLargeError';
  }
}
