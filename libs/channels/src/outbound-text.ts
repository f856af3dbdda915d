import type { OutboundChoice } from './channel-adapter.port.js';

/** Cuts by code points, so an emoji at the limit is never split into half a surrogate pair. */
export const cutToLength = (text: string, max: number): string => {
  const codePoints = Array.from(text);
  return codePoints.length > max ? codePoints.slice(0, max).join('') : text;
};

/** The text with the choices written out as numbered lines, for more choices than a channel can show as buttons. */
export const textWithNumberedChoices = (text: string, choices: OutboundChoice[]): string =>
  `${text}\n\n${choices.map((choice, index) => `${index + 1}. ${choice.label}`).join('\n')}`;

/**
 * The choices' labels as buttons show them: cut to `maxLength` without a trailing space; undefined
 * when two come out alike (they differed only past the cut), since the customer could not tell
 * them apart: such choices go out as numbered lines instead.
 */
export const shownLabels = (choices: OutboundChoice[], maxLength: number): string[] | undefined => {
  const labels = choices.map((choice) => cutToLength(choice.label, maxLength).trimEnd());
  const distinct = new Set(labels.map((label) => label.toLowerCase()));
  return distinct.size === labels.length ? labels : undefined;
};
