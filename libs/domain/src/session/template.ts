/**
 * Texts sent to the customer accept `{{variable}}` and `{{contact.name}}` placeholders, with or
 * without whitespace inside the braces. A placeholder the session cannot fill becomes empty: the
 * customer should never see template syntax.
 */
import { variableValue, type SessionVariables } from './variables.js';

export interface TemplateContext {
  variables: SessionVariables;
  contact: { name?: string };
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export const renderTemplate = (text: string, { variables, contact }: TemplateContext): string =>
  text.replace(PLACEHOLDER, (_placeholder, name: string) => {
    if (name === 'contact.name') return contact.name ?? '';
    const value = variableValue(variables, name);
    return value === undefined ? '' : String(value);
  });
