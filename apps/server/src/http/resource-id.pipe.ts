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
