import { Inject, Injectable } from '@nestjs/common';
import { type ChannelSessionCount, channelHasRoomForSession } from '#domain';
import type { RecordedEvent } from '#eventstore';
import type { ReadModelStore } from '#readmodel';
import { ENGINE_ACTIVE_SESSIONS_COLLECTION, type EngineActiveSession } from './session-engine-state.projection.js';

/** Bounds on what anonymous contacts can make the engine keep. */
export interface SessionCaps {
  /** Sessions open at once on one channel, at most; a contact's message beyond it starts none. */
  maxOpenSessionsPerChannel: number;
}

export const DEFAULT_MAX_OPEN_SESSIONS_PER_CHANNEL = 10_000;
export const DEFAULT_SESSION_CAPS: SessionCaps = { maxOpenSessionsPerChannel: DEFAULT_MAX_OPEN_SESSIONS_PER_CHANNEL };

export const SESSION_CAPS = Symbol('SESSION_CAPS');

/** An active session joining or leaving the engine's state in a commit. */
export interface OpenSessionChange {
  kind: 'opened' | 'closed';
  channelId: string;
  sessionId: string;
}

/** What /health shows and metrics read: no channel ids, only counts. */
export interface SessionCapsStatus {
  maxOpenSessionsPerChannel: number;
  /** Sessions open on every channel together, those starting included. */
  openSessions: number;
  /** Channels with no room for another session. */
  channelsAtCap: number;
  /** `SessionRefused` events the engine has followed since it started: a counter. */
  sessionsRefused: number;
}

/**
 * The open sessions of each channel as the engine counts them when it routes a message: those in
 * its committed state, plus those started since by reactions whose `SessionStarted` it has not
 * committed yet — reactions run ahead of the commits, and several conversations at once. Counting
 * and taking a place happen in one synchronous step, so reactions running together can never
 * start more sessions than the cap between them. Kept in memory, rebuilt from the engine's state
 * at start: a decision is recorded on its conversation, so replaying it never asks again.
 */
@Injectable()
export class ChannelSessionAdmission {
  readonly maxOpenSessionsPerChannel: number;
  /** Per channel, its sessions in the engine's committed state. */
  private readonly committed = new Map<string, number>();
  /** Per channel, the sessions counted before their start is committed. */
  private readonly starting = new Map<string, Set<string>>();
  private sessionsRefused = 0;

  constructor(@Inject(SESSION_CAPS) caps: SessionCaps) {
    this.maxOpenSessionsPerChannel = caps.maxOpenSessionsPerChannel;
  }

  /** Counts the active sessions of the engine's committed state; before the engine follows the log. */
  async load(readModel: ReadModelStore): Promise<void> {
    this.committed.clear();
    this.starting.clear();
    for await (const session of readModel.allDocuments<EngineActiveSession>(ENGINE_ACTIVE_SESSIONS_COLLECTION)) {
      this.committed.set(session.channelId, (this.committed.get(session.channelId) ?? 0) + 1);
    }
  }

  /**
   * The channel's count before session `sessionId` would start; when there is room, the session
   * is counted from now on, until its start is committed or it is `withdrawn`.
   */
  admit(channelId: string, sessionId: string): ChannelSessionCount {
    const count = { open: this.openOn(channelId), max: this.maxOpenSessionsPerChannel };
    if (channelHasRoomForSession(count)) this.count(channelId, sessionId);
    return count;
  }

  /** A session whose start was recorded before (a reaction repeated): counted whatever the cap, as it starts anyway. */
  count(channelId: string, sessionId: string): void {
    const starting = this.starting.get(channelId) ?? new Set<string>();
    this.starting.set(channelId, starting.add(sessionId));
  }

  /** A session counted by `admit` or `count` that did not start after all. */
  withdraw(channelId: string, sessionId: string): void {
    const starting = this.starting.get(channelId);
    starting?.delete(sessionId);
    if (starting?.size === 0) this.starting.delete(channelId);
  }

  /** Follows a commit of the engine's state, once it is stored. */
  followCommit(events: readonly RecordedEvent[], changes: readonly OpenSessionChange[]): void {
    for (const { kind, channelId, sessionId } of changes) {
      const committed = this.committed.get(channelId) ?? 0;
      if (kind === 'opened') {
        this.withdraw(channelId, sessionId);
        this.committed.set(channelId, committed + 1);
      } else if (committed <= 1) {
        this.committed.delete(channelId);
      } else {
        this.committed.set(channelId, committed - 1);
      }
    }
    this.sessionsRefused += events.filter(({ type }) => type === 'SessionRefused').length;
  }

  status(): SessionCapsStatus {
    const channels = new Set([...this.committed.keys(), ...this.starting.keys()]);
    let openSessions = 0;
    let channelsAtCap = 0;
    for (const channelId of channels) {
      const open = this.openOn(channelId);
      openSessions += open;
      if (!channelHasRoomForSession({ open, max: this.maxOpenSessionsPerChannel })) channelsAtCap += 1;
    }
    return {
      maxOpenSessionsPerChannel: this.maxOpenSessionsPerChannel,
      openSessions,
      channelsAtCap,
      sessionsRefused: this.sessionsRefused,
    };
  }

  private openOn(channelId: string): number {
    return (this.committed.get(channelId) ?? 0) + (this.starting.get(channelId)?.size ?? 0);
  }
}
