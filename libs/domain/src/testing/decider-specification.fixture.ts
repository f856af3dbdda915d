/**
 * Given / When / Then for deciders, as in Emmett: `given` the events already in the stream, `when`
 * a command arrives, `then` these events are decided, or `thenThrows` that error. Each outcome is
 * also checked for what a pure decider promises: deciding again on the same state decides the same.
 */
import { expect } from '@jest/globals';
import type { Decider } from '../decider.js';

/** An error class, its constructor public or not. */
type ErrorClass = { readonly prototype: Error };

export interface DeciderSpecificationOptions {
  /**
   * Commands arrive at least once: deciding again once the decided events are stored must decide
   * nothing, so that a redelivered command changes nothing twice.
   */
  idempotent?: boolean;
}

export const DeciderSpecification = {
  for: <State, Command, Event>(decider: Decider<State, Command, Event>, options: DeciderSpecificationOptions = {}) => ({
    given: (events: readonly Event[]) => ({
      when: (command: Command) => {
        const fold = (stream: readonly Event[]) => stream.reduce(decider.evolve, decider.initialState());
        const state = fold(events);
        const decide = () => decider.decide(command, state);
        return {
          then: (expected: Event[]): void => {
            const decided = decide();
            expect(decided).toEqual(expected);
            expect(decide()).toEqual(decided);
            if (options.idempotent) expect(decider.decide(command, fold([...events, ...decided]))).toEqual([]);
          },
          thenThrows: (errorClass: ErrorClass, message?: string | RegExp): void => {
            expect(decide).toThrow(errorClass);
            if (message !== undefined) expect(decide).toThrow(message);
          },
        };
      },
    }),
  }),
};
