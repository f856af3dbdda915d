import { randomId } from '../ui/random-id.js';

/**
 * The visitor's contact id for one channel: given in the address (`?contact=`, as the editor's
 * Try it panel does for a fresh conversation), else a random id kept in this browser.
 */
export const contactIdFor = (channelId: string, given: string | null): string => {
  if (given !== null && given !== '') return given;
  const key = `webchat.contact.${channelId}`;
  try {
    const kept = localStorage.getItem(key);
    if (kept !== null) return kept;
    const fresh = randomId();
    localStorage.setItem(key, fresh);
    return fresh;
  } catch {
    // Storage refused (e.g. a blocked third-party frame): the conversation lasts as long as the page.
    return randomId();
  }
};
