import { describe, expect, it } from '@jest/globals';
import { renderTemplate, type TemplateContext } from './template.js';

const context: TemplateContext = {
  variables: { name: 'Ada', age: 36, price: 12.5, empty: '' },
  contact: { name: 'Ada Lovelace' },
};

describe('renderTemplate', () => {
  it.each([
    ['Hello {{name}}!', 'Hello Ada!'],
    ['Hello {{ name }}!', 'Hello Ada!'],
    ['Hi {{contact.name}}', 'Hi Ada Lovelace'],
    ['Hi {{  contact.name  }}', 'Hi Ada Lovelace'],
    ['{{name}} is {{age}}, pays {{price}}', 'Ada is 36, pays 12.5'],
    ['[{{empty}}]', '[]'],
    ['no placeholders', 'no placeholders'],
    ['{{name}}{{name}}', 'AdaAda'],
  ])('renders %j as %j', (text, expected) => {
    expect(renderTemplate(text, context)).toBe(expected);
  });

  it.each([
    ['a variable never set', 'Order {{orderId}}.', 'Order .'],
    ['another contact field', 'Mail {{contact.email}}', 'Mail '],
    ['a name that is not a variable name', 'x{{ not a name }}y', 'xy'],
    ['an inherited property', '{{constructor}}{{toString}}{{__proto__}}', ''],
  ])('renders %s as empty', (_case, text, expected) => {
    expect(renderTemplate(text, context)).toBe(expected);
  });

  it('renders an unknown contact name as empty', () => {
    expect(renderTemplate('Hello {{contact.name}}!', { variables: {}, contact: {} })).toBe('Hello !');
  });

  it('renders the fallback after | where there is no value, and the value where there is one', () => {
    const nameless: TemplateContext = { variables: { empty: '', zero: 0 }, contact: {} };
    expect(renderTemplate('Hi {{contact.name | there}}!', nameless)).toBe('Hi there!');
    expect(renderTemplate('Hi {{contact.name|there}}!', context)).toBe('Hi Ada Lovelace!');
    expect(renderTemplate('Order {{orderId | unknown}}, {{empty|none}}, {{zero|none}}', nameless)).toBe('Order unknown, none, 0');
    expect(renderTemplate('{{name | my friend, dear}}', { variables: {}, contact: {} })).toBe('my friend, dear');
    expect(renderTemplate('{{name|}}{{name | a | b}}', { variables: {}, contact: {} })).toBe('a | b');
  });

  it('leaves single braces and unclosed placeholders alone', () => {
    expect(renderTemplate('{name} {{name', context)).toBe('{name} {{name');
  });

  it('does not render values again: a value that looks like a placeholder is shown as it is', () => {
    expect(renderTemplate('{{a}}', { variables: { a: '{{b}}', b: 'x' }, contact: {} })).toBe('{{b}}');
  });
});
