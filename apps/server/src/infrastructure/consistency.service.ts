import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { quotedInput } from '#domain';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { READ_MODEL_STORE, type ReadModelStore } from '#readmodel';

export const CONSISTENCY_TIMEOUT_MS = 5000;
const POLL_INTERVAL_MS = 10;

/**
 * `?consistentWith=<position>`: a query waits until the projections it reads have passed the
 * position a command returned. It reads the stored checkpoints, so it works whichever process
 * runs the projections. After the timeout the query answers with what the projection has
 * (only a projection that is failing lags that long; /health shows its error).
 */
@Injectable()
export class ConsistencyService {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
  ) {}

  async waitFor(position: string | undefined, projections: readonly string[]): Promise<void> {
    if (position === undefined) return;
    // Validates the token up front: a foreign or malformed one is the caller's error (400), and
    // so is one the log has not reached, which no command can have returned.
    const head = await this.eventStore.headPosition();
    if (head === undefined || this.eventStore.comparePositions(position, head) > 0) {
      this.eventStore.comparePositions(position, position);
      throw new BadRequestException(`consistentWith: position ${quotedInput(position)} is ahead of the event log`);
    }
    const deadline = Date.now() + CONSISTENCY_TIMEOUT_MS;
    for (const projection of projections) {
      while (!(await this.hasPassed(projection, position)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      }
    }
  }

  private async hasPassed(projection: string, position: string): Promise<boolean> {
    const checkpoint = await this.readModel.getCheckpoint(projection);
    return checkpoint !== undefined && this.eventStore.comparePositions(checkpoint, position) >= 0;
  }
}
