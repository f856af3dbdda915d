import type { OutboundChoice } from './channel-adapter.port.js';

/** Cuts by code points, so an emoji at the limit is never split into half a surrogate pair. */
export const cutToLength = (text: string, max: number): string => {
  const codePoints = Array.from(text);
  return codePoints.length > max ? codePoints.slice(0, max).join('') : text;
};

/** The text with the choices written out as numbered lines, for more choices than a channel can show as buttons. */
export const textWithNumberedChoices = (text: string, choices: OutboundChoice[]): string =>
  `${text}\n\n${choices.map((choice, index) => `${index + 1}. ${choice.label}`).join('\n')}`;
