import { ValidationError } from '../errors.js';
import { MAX_CHANNEL_NAME_LENGTH, normalizeChannelName } from './channel-name.js';

describe('normalizeChannelName', () => {
  it('stores the name trimmed', () => {
    expect(normalizeChannelName('  Support line \n')).toBe('Support line');
  });

  it.each([
    ['missing', undefined, 'name is required and must be a string that is not empty or only whitespace'],
    ['blank', '   ', 'name is required and must be a string that is not empty or only whitespace'],
    ['with a line break inside', 'Support\nline', 'name must not contain control characters'],
    [
      'too long',
      'x'.repeat(MAX_CHANNEL_NAME_LENGTH + 1),
      `name must be at most ${MAX_CHANNEL_NAME_LENGTH} characters long once trimmed, not ${MAX_CHANNEL_NAME_LENGTH + 1}`,
    ],
  ])('refuses a name %s, naming the field', (_case, name, message) => {
    expect(() => normalizeChannelName(name)).toThrow(ValidationError);
    expect(() => normalizeChannelName(name)).toThrow(message);
  });

  it('counts characters as people do: an emoji is one', () => {
    expect(normalizeChannelName('📞'.repeat(MAX_CHANNEL_NAME_LENGTH))).toBe('📞'.repeat(MAX_CHANNEL_NAME_LENGTH));
  });
});
