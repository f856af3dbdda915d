import { Controller, type MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Observable, takeUntil, timer } from 'rxjs';
import { CredentialAcceptedUntil, CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '#platform';
import { WORKFLOWS_PROJECTION } from '#readmodel';
import { ApiErrors } from '../../openapi/api-errors.decorator.js';
import { ConsistencyService } from '../../infrastructure/consistency.service.js';
import { ConsistentReadDto } from '../dto/workflow-queries.dto.js';
import type { CardChange } from './card-change.js';
import { LiveCardsService } from './live-cards.service.js';
import { type LiveCardEvent, WorkflowCardEventDto, WorkflowRemovedEventDto } from './workflows-live.responses.js';

/** Proxies close connections that stay silent for about a minute; a comment keeps them open. */
export const KEEP_ALIVE_INTERVAL_MS = 15_000;

const EVENT_STREAM = 'text/event-stream';

const toEvent = (change: CardChange): LiveCardEvent =>
  change.kind === 'card' ? { event: 'card', data: change.card } : { event: 'removed', data: { id: change.id } };

const toMessage = ({ event, data }: LiveCardEvent): MessageEvent => ({ type: event, data });

/** The SSE messages for a stream of changes, with a `: keep-alive` comment every `keepAliveMs`. */
export const liveCardMessages = (changes: Observable<CardChange>, keepAliveMs: number): Observable<MessageEvent> =>
  new Observable<MessageEvent>((subscriber) => {
    const keepAlive = setInterval(() => subscriber.next({ comment: 'keep-alive' }), keepAliveMs);
    const subscription = changes.subscribe({
      next: (change) => subscriber.next(toMessage(toEvent(change))),
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      clearInterval(keepAlive);
      subscription.unsubscribe();
    };
  });

@ApiTags('workflows')
@ApiBearerAuth()
@ApiExtraModels(WorkflowCardEventDto, WorkflowRemovedEventDto)
@Controller('workflows')
export class WorkflowsLiveController {
  constructor(
    private readonly liveCards: LiveCardsService,
    private readonly consistency: ConsistencyService,
  ) {}

  /** Nest unsubscribes when the client goes away, which releases the stream's watcher. */
  @Sse('live')
  @ApiOperation({
    operationId: 'watchWorkflows',
    summary: 'Watch the workspace’s workflow cards live',
    description:
      'Server-Sent Events. First a `card` event for every current card, newest first (as `listWorkflows` pages them), then one ' +
      'for each change; `removed` when a workflow is deleted. A card may come twice; the latest one counts. A `: keep-alive` ' +
      'comment comes every 15 s. The stream ends when the server shuts down and when the token expires: reconnect (with a ' +
      'valid token), and the snapshot comes again. With ' +
      '`consistentWith`, the snapshot shows what that command changed.',
  })
  @ApiOkResponse({
    description:
      'An event stream; its schema is that of one event as a client parses it: the `event:` name and the `data:` JSON ' +
      `(\`card\`: \`${WorkflowCardEventDto.name}\`, \`removed\`: \`${WorkflowRemovedEventDto.name}\`)`,
    content: {
      [EVENT_STREAM]: {
        schema: {
          oneOf: [{ $ref: getSchemaPath(WorkflowCardEventDto) }, { $ref: getSchemaPath(WorkflowRemovedEventDto) }],
          discriminator: {
            propertyName: 'event',
            mapping: { card: getSchemaPath(WorkflowCardEventDto), removed: getSchemaPath(WorkflowRemovedEventDto) },
          },
        },
      },
    },
  })
  @ApiErrors(400, 401, 429)
  async live(
    @CurrentPrincipal() principal: Principal,
    @CredentialAcceptedUntil() acceptedUntilMs: number,
    @Query() query: ConsistentReadDto,
  ): Promise<Observable<MessageEvent>> {
    // Before the stream's headers: a refused position is still an error answer.
    await this.consistency.waitFor(query.consistentWith, [WORKFLOWS_PROJECTION]);
    // The stream ends with its token: reconnecting then needs a valid one (401 otherwise).
    return liveCardMessages(this.liveCards.watch(principal.workspace), KEEP_ALIVE_INTERVAL_MS).pipe(
      takeUntil(timer(new Date(acceptedUntilMs))),
    );
  }
}
