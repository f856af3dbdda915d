import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { EVENT_STORE, type EventStore } from '#eventstore';
import { READ_MODEL_STORE, type ReadModelStore } from '#readmodel';
import { MAX_PAGE_SIZE } from '../dto/workflow-queries.dto.js';
import { WorkflowQueriesService } from '../workflow-queries.service.js';
import { type CardChange, changedCardId, type WorkspaceCardChange } from './card-change.js';
import { CardLogFollower } from './card-log-follower.js';

/**
 * Live workflow cards for every watcher of this process. The log is followed only while someone
 * watches: an API process nobody watches should not keep polling or streaming the whole log.
 */
@Injectable()
export class LiveCardsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('LiveCards');
  private readonly changes = new Subject<WorkspaceCardChange>();
  private follower: CardLogFollower | undefined;
  private watchers = 0;
  private shutDown = false;
  private readonly stopping = new Set<Promise<void>>();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModel: ReadModelStore,
    private readonly queries: WorkflowQueriesService,
  ) {}

  /**
   * The workspace's current cards, newest first, then every change to them. Changes that arrive
   * while the snapshot is read are held (the latest per card) and follow it. The stream completes
   * when the server shuts down.
   */
  watch(workspace: string): Observable<CardChange> {
    return new Observable<CardChange>((subscriber) => {
      if (this.shutDown) {
        subscriber.complete();
        return undefined;
      }
      let live = false;
      const held = new Map<string, CardChange>();
      const subscription = this.changes.subscribe({
        next: (published) => {
          if (published.workspace !== workspace) return;
          if (live) return subscriber.next(published.change);
          const id = changedCardId(published.change);
          // Re-inserted, so the held changes keep the order of their latest versions.
          held.delete(id);
          held.set(id, published.change);
        },
        complete: () => subscriber.complete(),
      });
      const follower = this.addWatcher();
      void (async () => {
        await follower.started;
        if (subscriber.closed) return;
        for await (const card of this.currentCards(workspace)) {
          if (subscriber.closed) return;
          subscriber.next({ kind: 'card', card });
        }
        live = true;
        for (const change of held.values()) subscriber.next(change);
        held.clear();
      })().catch((error: unknown) => subscriber.error(error));
      return () => {
        subscription.unsubscribe();
        this.removeWatcher();
      };
    });
  }

  /** Ends every stream, so that closing the HTTP server does not wait for their clients. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shutDown = true;
    // Completing runs each stream's teardown, which stops the follower with the last watcher.
    this.changes.complete();
    await Promise.all(this.stopping);
  }

  private addWatcher(): CardLogFollower {
    this.watchers += 1;
    this.follower ??= CardLogFollower.start(this.eventStore, this.readModel, (change) => this.changes.next(change), this.logger);
    return this.follower;
  }

  private removeWatcher(): void {
    this.watchers -= 1;
    if (this.watchers > 0 || !this.follower) return;
    const stopped = this.follower.stop();
    this.follower = undefined;
    this.stopping.add(stopped);
    void stopped.finally(() => this.stopping.delete(stopped));
  }

  private async *currentCards(workspace: string) {
    let cursor: string | undefined;
    do {
      const page = await this.queries.list(workspace, { limit: MAX_PAGE_SIZE, cursor });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
}
