import { Injectable, NotFoundException, type PipeTransform } from '@nestjs/common';
import { quotedInput } from '#domain';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Workflow, channel and session ids are UUIDs the server issued; anything else cannot name one (404). */
@Injectable()
export class ResourceIdPipe implements PipeTransform<string, string> {
  constructor(private readonly resource: 'Workflow' | 'Channel' | 'Session') {}

  transform(value: string): string {
    if (!UUID_PATTERN.test(value)) throw new NotFoundException(`${this.resource} ${quotedInput(value)} not found`);
    return value.toLowerCase();
  }
}

/**
 * A version in a path: a whole number from 1 in plain digits; like an id that is not an id,
 * anything else names no version (404). Taken as the path's text: the global ValidationPipe would
 * turn a parameter typed as a number into one with Number() first ("0x1" → 1, "1e3" → 1000).
 */
export const versionNumberOf = (text: string): number => {
  if (!/^[1-9]\d{0,8}$/.test(text))
    throw new NotFoundException(`Version ${quotedInput(text)} not found: versions are whole numbers from 1`);
  return Number(text);
};
