/**
 * Texts sent to the customer accept `{{variable}}` and `{{contact.name}}` placeholders, with or
 * without whitespace inside the braces. A placeholder the session cannot fill becomes its
 * fallback, `{{contact.name | there}}` (web chat knows no names), or else empty: the customer
 * should never see template syntax.
 */
import { variableValue, type SessionVariables } from './variables.js';

export interface TemplateContext {
  variables: SessionVariables;
  contact: { name?: string };
}

/** `{{ name }}` or `{{ name | fallback }}`: the fallback is everything after the first `|`, trimmed. */
const PLACEHOLDER = /\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;

/**
 * Whether `text` has a `{{` that opens no placeholder (`Hi {{name`): sent as it is, it would show
 * the customer template syntax, so a definition with one is refused when published.
 */
export const hasUnclosedPlaceholder = (text: string): boolean => text.replace(PLACEHOLDER, '').includes('{{');

export const renderTemplate = (text: string, { variables, contact }: TemplateContext): string =>
  text.replace(PLACEHOLDER, (_placeholder, name: string, fallback: string | undefined) => {
    const value = name === 'contact.name' ? contact.name : variableValue(variables, name);
    const shown = value === undefined ? '' : String(value);
    return shown === '' ? (fallback ?? '') : shown;
  });
