/**
 * Whether a customer's message answers a question, by the question's `answerType` (default
 * `text`), and the value stored in the question's variable when it does.
 */
import { type AnswerType, answerKey, type AskQuestionStep, type ChoiceOption } from '../workflow/step.schema.js';
import { parseDecimal, type VariableValue } from './variables.js';

export type AnswerCheck =
  /** `next` is set when the chosen option leads somewhere other than the question's `next`. */
  { accepted: true; value: VariableValue; next?: string } | { accepted: false; reason: string };

const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const PHONE_PATTERN = /^\+?\d{7,15}$/;
/** People write numbers as `+1 (555) 123-4567`; only the digits and a leading `+` matter. */
const PHONE_PUNCTUATION = /[\s()-]/g;

const accepted = (value: VariableValue, next?: string): AnswerCheck =>
  next === undefined ? { accepted: true, value } : { accepted: true, value, next };
const rejected = (reason: string): AnswerCheck => ({ accepted: false, reason });

const CHECKS: { [Type in AnswerType]: (answer: string, question: AskQuestionStep) => AnswerCheck } = {
  text: (answer) => (answer === '' ? rejected('the answer is empty') : accepted(answer)),
  number: (answer) => {
    const number = parseDecimal(answer);
    return number === undefined ? rejected('the answer is not a number') : accepted(number);
  },
  email: (answer) => (EMAIL_PATTERN.test(answer) ? accepted(answer) : rejected('the answer is not an email address')),
  phone: (answer) => {
    const phone = answer.replace(PHONE_PUNCTUATION, '');
    return PHONE_PATTERN.test(phone) ? accepted(phone) : rejected('the answer is not a phone number');
  },
  choice: (answer, { options = [] }) => {
    const option = findOption(options, answer);
    return option === undefined ? rejected('the answer is not one of the options') : accepted(optionValue(option), option.next);
  },
};

/** The answer is trimmed first: a stray space or newline never makes an answer wrong. */
export const checkAnswer = (question: AskQuestionStep, text: string): AnswerCheck =>
  CHECKS[question.answerType ?? 'text'](text.trim(), question);

/** What choosing an option stores: its value, or its label when it has none. */
export const optionValue = (option: ChoiceOption): string => option.value ?? option.label;

/**
 * The option whose label or value the answer names (in any case, spaces around ignored), else the one whose
 * 1-based number it is. Names win over numbers, so that an option labelled "2" can be chosen.
 */
function findOption(options: readonly ChoiceOption[], answer: string): ChoiceOption | undefined {
  const wanted = answerKey(answer);
  const named = options.find(({ label, value }) => answerKey(label) === wanted || (value !== undefined && answerKey(value) === wanted));
  if (named !== undefined) return named;
  return /^\d+$/.test(answer) ? options[Number(answer) - 1] : undefined;
}
