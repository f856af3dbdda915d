/**
 * A stream's pure decision logic, as in Emmett: `decide` turns a command into events against the
 * state, `evolve` folds one event into the state, `initialState` is the state of an empty stream.
 * The caller loads and folds the stream, decides, adds event ids and metadata, and appends with
 * the expected revision.
 */
export interface Decider<State, Command, Event> {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
}
