import { Controller, type MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '#platform';
import type { CardChange } from './card-change.js';
import { LiveCardsService } from './live-cards.service.js';

/** Proxies close connections that stay silent for about a minute; a comment keeps them open. */
export const KEEP_ALIVE_INTERVAL_MS = 15_000;

const toMessage = (change: CardChange): MessageEvent =>
  change.kind === 'card' ? { type: 'card', data: change.card } : { type: 'removed', data: { id: change.id } };

/** The SSE messages for a stream of changes, with a `: keep-alive` comment every `keepAliveMs`. */
export const liveCardMessages = (changes: Observable<CardChange>, keepAliveMs: number): Observable<MessageEvent> =>
  new Observable<MessageEvent>((subscriber) => {
    const keepAlive = setInterval(() => subscriber.next({ comment: 'keep-alive' }), keepAliveMs);
    const subscription = changes.subscribe({
      next: (change) => subscriber.next(toMessage(change)),
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
@Controller('workflows')
export class WorkflowsLiveController {
  constructor(private readonly liveCards: LiveCardsService) {}

  /** Nest unsubscribes when the client goes away, which releases the stream's watcher. */
  @Sse('live')
  @ApiOkResponse({
    description:
      'Server-Sent Events: `card` with a card of the caller’s workspace (first all current ones, newest first, then each change), `removed` with `{id}` when a workflow is deleted, and a `: keep-alive` comment every 15 s',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  live(@CurrentPrincipal() principal: Principal): Observable<MessageEvent> {
    return liveCardMessages(this.liveCards.watch(principal.workspace), KEEP_ALIVE_INTERVAL_MS);
  }
}
