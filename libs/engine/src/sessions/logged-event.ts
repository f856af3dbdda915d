import type { IEvent } from '@nestjs/cqrs';
import type { RecordedEvent } from '#eventstore';
import type { SagaCommand } from './saga-command.js';

/**
 * An event of the log, handed to the session saga by the engine's checkpointed subscription. The
 * saga registers every command it issues for it with `issue`, so the engine can wait for them.
 */
export class LoggedEvent implements IEvent {
  readonly issued: SagaCommand[] = [];

  constructor(readonly recorded: RecordedEvent) {}

  issue<Issued extends SagaCommand>(command: Issued): Issued {
    this.issued.push(command);
    return command;
  }
}
