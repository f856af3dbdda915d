import { describe, expect, it } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { NOT_AN_OBJECT_MESSAGE, RequestValidationPipe } from './request-validation.pipe.js';

class ContactDto {
  @IsString({ message: 'id must be a string' })
  id!: string;
}

class NameDto {
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  @IsString({ message: 'name must be a string' })
  name!: string;

  @IsOptional()
  @IsString({ message: 'note must be a string' })
  note?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;
}

/** The messages the pipe refuses `body` with, validated as the server validates every body. */
const refusal = async (body: unknown): Promise<unknown> => {
  const pipe = new RequestValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: true });
  try {
    await pipe.transform(body, { type: 'body', metatype: NameDto });
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { message: unknown }).message;
    throw error;
  }
  throw new Error('accepted');
};

describe('RequestValidationPipe', () => {
  it('names an unknown property in full when it is short, as Nest does', async () => {
    expect(await refusal({ name: 'Flow', nmae: 'typo' })).toEqual(['property nmae should not exist']);
  });

  it('names a long unknown property only by its start', async () => {
    const long = 'k'.repeat(10_000);
    expect(await refusal({ name: 'Flow', [long]: 1 })).toEqual([`property ${'k'.repeat(63)}… should not exist`]);
  });

  it('refuses the names every object inherits, which class-validator takes for declared properties', async () => {
    for (const inherited of ['toString', 'valueOf', 'hasOwnProperty', 'constructor', '__proto__', 'isPrototypeOf']) {
      // JSON.parse makes `__proto__` an own property, as the body parser does.
      const body: unknown = JSON.parse(`{"name":"Flow","${inherited}":1}`);
      expect(await refusal(body)).toEqual([`property ${inherited} should not exist`]);
    }
  });

  it('refuses a query parameter given twice in the same words whatever its rules, and leaves an unknown one to the whitelist', async () => {
    class StatusQueryDto {
      @IsOptional()
      @IsIn(['active', 'ended'], { message: 'status must be active or ended' })
      status?: string;
    }
    const pipe = new RequestValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: true });
    const messagesOf = (query: object) =>
      pipe.transform(query, { type: 'query', metatype: StatusQueryDto }).then(
        () => 'accepted',
        (error: BadRequestException) => (error.getResponse() as { message: unknown }).message,
      );
    expect(await messagesOf({ status: ['active', 'ended'] })).toEqual(['status must be given once']);
    expect(await messagesOf({ status: 'active', other: ['1', '2'] })).toEqual(['property other should not exist']);
    expect(await messagesOf({ status: 'ended' })).toBe('accepted');
    // A body's arrays are the body's business.
    expect(await refusal({ name: ['Flow', 'Flow'] })).toEqual(['name must be a string']);
  });

  it('leaves a value that is not validated alone', async () => {
    const pipe = new RequestValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
    const payload = { toString: 1 };
    expect(await pipe.transform(payload, { type: 'body', metatype: Object })).toBe(payload);
  });

  it('says a required property left out is required, also inside an object, and leaves optional ones alone', async () => {
    expect(await refusal({})).toEqual(['name is required']);
    expect(await refusal({ contact: {} })).toEqual(['name is required', 'contact.id is required']);
    expect(await refusal({ name: null, note: 7 })).toEqual(['name must be a string', 'note must be a string']);
  });

  it('refuses a body that is JSON but no object, null too, and reads none as an empty one', async () => {
    for (const body of [[1, 2], 'Flow', 42, true, null]) expect(await refusal(body)).toBe(NOT_AN_OBJECT_MESSAGE);
    expect(await refusal(undefined)).toEqual(['name is required']);
  });

  it("keeps the DTO's own messages", async () => {
    expect(await refusal({ name: 7 })).toEqual(['name must be a string']);
  });
});
