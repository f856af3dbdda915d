import { type FormEvent, useId, useRef, useState } from 'react';
import { ApiError } from '../api/api-client.js';
import { Dialog } from '../ui/dialog.js';
import { ErrorNotice } from '../ui/errors.js';
import { CHANNEL_TYPES, type ChannelType, channelTypeLabel, type ConfigField, type NewChannel } from './channel-types.js';

/** `config.phoneNumberId must be a numeric id` → the field it names; `name …` → the name. */
const fieldOfProblem = (message: string): string | null => /^(?:config\.)?([A-Za-z]+) /.exec(message)?.[1] ?? null;

const Field = ({
  id,
  label,
  hint,
  type = 'text',
  value,
  problem,
  onChange,
  inputRef,
}: {
  id: string;
  label: string;
  hint?: string;
  type?: 'text' | 'password';
  value: string;
  problem: string | undefined;
  onChange: (value: string) => void;
  inputRef?: (element: HTMLInputElement | null) => void;
}) => (
  <div className="field">
    <label htmlFor={id}>{label}</label>
    <input
      id={id}
      ref={inputRef}
      type={type}
      value={value}
      autoComplete={type === 'password' ? 'new-password' : 'off'}
      spellCheck={false}
      aria-invalid={problem !== undefined}
      aria-describedby={
        [hint === undefined ? '' : `${id}-hint`, problem === undefined ? '' : `${id}-problem`].join(' ').trim() || undefined
      }
      onChange={(event) => onChange(event.target.value)}
    />
    {hint !== undefined && (
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
    )}
    {problem !== undefined && (
      <p id={`${id}-problem`} className="field-error">
        {problem}
      </p>
    )}
  </div>
);

const fieldLabel = (field: ConfigField) => (field.required ? field.label : `${field.label} (optional)`);

/**
 * Creates a channel: its type, a name and the type's own settings. Required fields are checked
 * here; the API's refusal (a format, say) is shown under the field it names, as it said it.
 */
export const CreateChannelDialog = ({ onCreate, onClose }: { onCreate: (channel: NewChannel) => Promise<void>; onClose: () => void }) => {
  const [type, setType] = useState<ChannelType>('webchat');
  const [name, setName] = useState('');
  const [config, setConfig] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const inputs = useRef(new Map<string, HTMLInputElement>());
  const id = useId();
  const fields: ConfigField[] = CHANNEL_TYPES[type].fields;

  const focusField = (key: string) => inputs.current.get(key)?.focus();
  const registerInput = (key: string) => (element: HTMLInputElement | null) => {
    if (element === null) inputs.current.delete(key);
    else inputs.current.set(key, element);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const missing: Record<string, string> = {};
    if (name.trim() === '') missing.name = 'Name is required';
    for (const field of fields) {
      if (field.required && (config[field.key] ?? '').trim() === '') missing[field.key] = `${field.label} is required`;
    }
    setProblems(missing);
    const [first] = Object.keys(missing);
    if (first !== undefined) {
      focusField(first);
      return;
    }
    // Only this type's fields, and only those filled in: empty optional ones take the defaults.
    const sent: Record<string, string> = Object.fromEntries(
      fields.map((field): [string, string] => [field.key, (config[field.key] ?? '').trim()]).filter(([, value]) => value !== ''),
    );
    setSending(true);
    try {
      // The keys are the type's own (CHANNEL_TYPES has the document's names); the server checks the values.
      await onCreate({ type, name: name.trim(), config: sent } as NewChannel);
    } catch (refused) {
      const field = refused instanceof ApiError && refused.status === 400 ? fieldOfProblem(refused.message) : null;
      if (field !== null && (field === 'name' || fields.some((known) => known.key === field))) {
        setProblems({ [field]: (refused as ApiError).message });
        focusField(field);
      } else setError(refused);
      setSending(false);
    }
  };

  return (
    <Dialog title="New channel" onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate className="channel-form">
        <div className="field">
          <label htmlFor={`${id}-type`}>Type</label>
          <select
            id={`${id}-type`}
            value={type}
            onChange={(event) => {
              setType(event.target.value as ChannelType);
              // Types share field names (a Meta app secret, a verify token): what was typed for one,
              // hidden behind dots, must not go to a channel of another unseen.
              setConfig({});
              setProblems({});
            }}
          >
            {Object.keys(CHANNEL_TYPES).map((value) => (
              <option key={value} value={value}>
                {channelTypeLabel(value)}
              </option>
            ))}
          </select>
        </div>
        <Field
          id={`${id}-name`}
          label="Name"
          value={name}
          problem={problems.name}
          inputRef={registerInput('name')}
          onChange={(value) => {
            setName(value);
            setProblems(({ name: _, ...rest }) => rest);
          }}
        />
        {type === 'webchat' && (
          <p className="hint">A web chat needs no settings: its page and embed snippet are shown once it is created.</p>
        )}
        {fields.map((field) => (
          <Field
            key={`${type}.${field.key}`}
            id={`${id}-${field.key}`}
            label={fieldLabel(field)}
            hint={field.secret ? `${field.hint} Kept sealed: never shown again.` : field.hint}
            type={field.secret ? 'password' : 'text'}
            value={config[field.key] ?? ''}
            problem={problems[field.key]}
            inputRef={registerInput(field.key)}
            onChange={(value) => {
              setConfig((current) => ({ ...current, [field.key]: value }));
              setProblems(({ [field.key]: _, ...rest }) => rest);
            }}
          />
        ))}
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={sending}>
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
};
