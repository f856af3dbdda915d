import { describe, expect, it } from '@jest/globals';
import type { AnswerType, AskQuestionStep } from '../workflow/step.schema.js';
import { checkAnswer } from './answer.js';

const question = (answerType?: AnswerType, extra: Partial<AskQuestionStep> = {}): AskQuestionStep => ({
  id: 'q',
  type: 'ask_question',
  text: 'Well?',
  variable: 'answer',
  ...(answerType === undefined ? {} : { answerType }),
  ...extra,
});

const rejected = (reason: string) => ({ accepted: false, reason });

const sizes = question('choice', {
  options: [{ label: 'Small', value: 's' }, { label: 'Medium' }, { label: 'Large', value: 'l', next: 'large-only' }],
});

describe('checkAnswer', () => {
  describe('text (the default)', () => {
    it('accepts any non-empty text, trimmed', () => {
      expect(checkAnswer(question(), '  my order is late \n')).toEqual({ accepted: true, value: 'my order is late' });
      expect(checkAnswer(question('text'), 'x')).toEqual({ accepted: true, value: 'x' });
    });

    it.each(['', '   ', '\n\t'])('rejects %j', (text) => {
      expect(checkAnswer(question('text'), text)).toEqual(rejected('the answer is empty'));
    });
  });

  describe('number', () => {
    it.each([
      ['42', 42],
      [' -3.5 ', -3.5],
      ['+7', 7],
      ['.5', 0.5],
      ['007', 7],
    ])('accepts %j as the number %d', (text, value) => {
      expect(checkAnswer(question('number'), text)).toEqual({ accepted: true, value });
    });

    it.each(['', 'forty', '4 2', '1e3', '0x10', '1,5', '5.', 'Infinity', 'NaN', '9'.repeat(400)])('rejects %j', (text) => {
      expect(checkAnswer(question('number'), text)).toEqual(rejected('the answer is not a number'));
    });
  });

  describe('email', () => {
    it.each(['ada@example.com', ' first.last+tag@mail.example.co.uk '])('accepts %j, trimmed', (text) => {
      expect(checkAnswer(question('email'), text)).toEqual({ accepted: true, value: text.trim() });
    });

    const notEmails = ['', 'ada', 'ada@', '@example.com', 'ada@example', 'ada@@x.com', 'a da@x.com', 'ada@x..com'];
    it.each(notEmails)('rejects %j', (text) => {
      expect(checkAnswer(question('email'), text)).toEqual(rejected('the answer is not an email address'));
    });
  });

  describe('phone', () => {
    it.each([
      ['+1 (555) 123-4567', '+15551234567'],
      ['0151 2345678', '01512345678'],
      ['1234567', '1234567'],
      ['+123456789012345', '+123456789012345'],
    ])('accepts %j, stored as %j', (text, value) => {
      expect(checkAnswer(question('phone'), text)).toEqual({ accepted: true, value });
    });

    it.each(['123456', '+1234567890123456', 'call me', '555-CALL-NOW', '12+34567', '++1234567', '123.456.7890'])('rejects %j', (text) => {
      expect(checkAnswer(question('phone'), text)).toEqual(rejected('the answer is not a phone number'));
    });
  });

  describe('choice', () => {
    it.each([
      ['Small', 's'],
      ['small', 's'],
      [' S ', 's'],
      ['medium', 'Medium'],
      ['1', 's'],
      ['2', 'Medium'],
    ])('accepts %j, storing %j', (text, value) => {
      expect(checkAnswer(sizes, text)).toEqual({ accepted: true, value });
    });

    it("takes the chosen option's next", () => {
      expect(checkAnswer(sizes, 'large')).toEqual({ accepted: true, value: 'l', next: 'large-only' });
      expect(checkAnswer(sizes, '3')).toEqual({ accepted: true, value: 'l', next: 'large-only' });
    });

    it('prefers an option named like a number over the option with that number', () => {
      const floors = question('choice', { options: [{ label: 'Ground' }, { label: '1' }] });
      expect(checkAnswer(floors, '1')).toEqual({ accepted: true, value: '1' });
      expect(checkAnswer(floors, '2')).toEqual({ accepted: true, value: '1' });
    });

    it('matches a label or value with spaces around it, as the customer sends it back trimmed', () => {
      const padded = question('choice', { options: [{ label: 'Ground ' }, { label: 'Roof', value: ' top' }] });
      expect(checkAnswer(padded, 'Ground ')).toEqual({ accepted: true, value: 'Ground ' });
      expect(checkAnswer(padded, 'top')).toEqual({ accepted: true, value: ' top' });
    });

    it.each(['0', '4', '-1', '1.0', 'extra large', ''])('rejects %j', (text) => {
      expect(checkAnswer(sizes, text)).toEqual(rejected('the answer is not one of the options'));
    });
  });
});
