import type { ReactNode } from 'react';
import { choicesOf, flattenSchema, type JsonSchema, typesOf } from './step-types.js';
import { type FieldPath, isJsonObject, isTargetField, type JsonObject, pathText } from './workflow-definition.js';

/**
 * Form fields generated from a JSON Schema: one control per property, chosen by its type, with
 * its title (or the name, humanised) as label and its description as help. Fields that name a
 * step offer the step ids. Read-only forms are disabled by the fieldset around them.
 */
export interface FormContext {
  /** Prefix of the controls' ids, unique on the page. */
  idBase: string;
  stepIds: string[];
  /** Messages by the field's path inside the form (`options[0].label`). */
  errors: Map<string, string[]>;
}

/** `retryText` → "Retry text", `handoffTeam` → "Handoff team". */
export const humanise = (name: string): string => {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** What a field of the form is labelled: its schema's title, or its name humanised. */
export const fieldName = (name: string, schema: JsonSchema | undefined): string => schema?.title ?? humanise(name);

/** `options` → "Option", `branches` → "Branch". */
export const singular = (name: string): string => humanise(name.endsWith('ches') ? name.slice(0, -2) : name.replace(/s$/, ''));

const LONG_TEXT = 200;

/** A value to start a new item with: empty texts, the first choice, empty lists. */
/** What a text or select control shows for a stored value: objects never reach these controls. */
const fieldText = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

export const emptyValue = (raw: JsonSchema): unknown => {
  const schema = flattenSchema(raw);
  const choices = choicesOf(schema);
  if (choices !== undefined) return choices[0];
  const types = typesOf(schema);
  if (types.includes('object')) {
    const value: JsonObject = {};
    for (const name of schema.required ?? []) value[name] = emptyValue(schema.properties?.[name] ?? {});
    return value;
  }
  // As many empty items as the list needs at least: a branch step starts with one branch.
  if (types.includes('array')) return Array.from({ length: schema.minItems ?? 0 }, () => emptyValue(schema.items ?? {}));
  if (types.includes('string')) return '';
  return undefined;
};

const controlId = (context: FormContext, path: FieldPath) => `${context.idBase}-${pathText(path).replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** The label, help and errors around one control. */
const FieldFrame = ({
  id,
  label,
  help,
  errors,
  inline,
  children,
}: {
  id: string;
  label: string;
  help: string | undefined;
  errors: string[];
  inline?: boolean;
  children: ReactNode;
}) => (
  <div className={inline ? 'field field-inline' : 'field'}>
    {inline ? (
      <>
        {children}
        <label htmlFor={id}>{label}</label>
      </>
    ) : (
      <>
        <label htmlFor={id}>{label}</label>
        {children}
      </>
    )}
    {help && (
      <p className="hint" id={`${id}-help`}>
        {help}
      </p>
    )}
    {errors.map((error) => (
      <p key={error} className="field-error" id={`${id}-error`}>
        {error}
      </p>
    ))}
  </div>
);

const describedBy = (id: string, help: string | undefined, errors: string[]): string | undefined =>
  [help ? `${id}-help` : '', errors.length > 0 ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** `"12"` is stored as the number 12 where a field takes numbers or strings. */
const numberOrText = (text: string): string | number => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

interface FieldProps {
  name: string;
  schema: JsonSchema;
  value: unknown;
  required: boolean;
  path: FieldPath;
  context: FormContext;
  onChange: (value: unknown) => void;
}

const SchemaField = ({ name, schema: raw, value, required, path, context, onChange }: FieldProps) => {
  const schema = flattenSchema(raw, value);
  const id = controlId(context, path);
  const label = `${fieldName(name, schema)}${required ? '' : ' (optional)'}`;
  const help = schema.description;
  const errors = context.errors.get(pathText(path)) ?? [];
  const aria = { 'aria-describedby': describedBy(id, help, errors), 'aria-invalid': errors.length > 0 || undefined };
  const types = typesOf(schema);
  const choices = choicesOf(schema);
  const frame = (control: ReactNode, inline?: boolean) => (
    <FieldFrame id={id} label={label} help={help} errors={errors} inline={inline}>
      {control}
    </FieldFrame>
  );
  // An emptied optional field is left out; an emptied required one stays, for the server to name.
  const emptied = required ? '' : undefined;

  if ((schema.format === 'step-id' || isTargetField(name)) && types.includes('string')) {
    return frame(
      <select
        id={id}
        value={typeof value === 'string' ? value : ''}
        onChange={(event) => onChange(event.target.value || emptied)}
        {...aria}
      >
        <option value="">{required ? '— choose a step —' : '— default —'}</option>
        {context.stepIds.map((stepId) => (
          <option key={stepId} value={stepId}>
            {stepId}
          </option>
        ))}
        {typeof value === 'string' && value !== '' && !context.stepIds.includes(value) && <option value={value}>{value} (missing)</option>}
      </select>,
    );
  }
  if (choices !== undefined) {
    return frame(
      <select
        id={id}
        value={fieldText(value)}
        onChange={(event) => onChange(choices.find((choice) => String(choice) === event.target.value) ?? emptied)}
        {...aria}
      >
        {(!required || value === undefined) && <option value="">{required ? '— choose —' : '— default —'}</option>}
        {choices.map((choice) => (
          <option key={String(choice)} value={String(choice)}>
            {schema.enumTitles?.[String(choice)] ?? String(choice)}
          </option>
        ))}
      </select>,
    );
  }
  if (types.includes('array')) {
    return (
      <ArrayField
        name={name}
        schema={schema}
        value={value}
        label={label}
        path={path}
        context={context}
        onChange={onChange}
        errors={errors}
      />
    );
  }
  if (types.includes('object')) {
    return (
      <fieldset className="sub-form">
        <legend>{label}</legend>
        {help && <p className="hint">{help}</p>}
        {errors.map((error) => (
          <p key={error} className="field-error">
            {error}
          </p>
        ))}
        <SchemaFields schema={schema} value={isJsonObject(value) ? value : {}} path={path} context={context} onChange={onChange} />
      </fieldset>
    );
  }
  if (types.includes('boolean')) {
    return frame(
      <input id={id} type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} {...aria} />,
      true,
    );
  }
  if (types.includes('string') && (types.includes('number') || types.includes('integer'))) {
    return frame(
      <input
        id={id}
        type="text"
        value={fieldText(value)}
        onChange={(event) => onChange(event.target.value === '' ? emptied : numberOrText(event.target.value))}
        {...aria}
      />,
    );
  }
  if (types.includes('number') || types.includes('integer')) {
    return frame(
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={schema.minimum}
        max={schema.maximum}
        step={types.includes('integer') ? 1 : 'any'}
        value={typeof value === 'number' ? value : ''}
        onChange={(event) => onChange(event.target.value === '' ? undefined : Number(event.target.value))}
        {...aria}
      />,
    );
  }
  const text = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  const onText = (next: string) => onChange(next === '' ? emptied : next);
  if ((schema.maxLength ?? 0) > LONG_TEXT) {
    return frame(
      <textarea id={id} rows={3} value={text} maxLength={schema.maxLength} onChange={(event) => onText(event.target.value)} {...aria} />,
    );
  }
  return frame(
    <input id={id} type="text" value={text} maxLength={schema.maxLength} onChange={(event) => onText(event.target.value)} {...aria} />,
  );
};

const ArrayField = ({
  name,
  schema,
  value,
  label,
  path,
  context,
  errors,
  onChange,
}: Omit<FieldProps, 'required'> & { label: string; errors: string[] }) => {
  const items: unknown[] = Array.isArray(value) ? value : [];
  const itemSchema = flattenSchema(schema.items ?? {});
  const itemName = singular(name);
  const full = schema.maxItems !== undefined && items.length >= schema.maxItems;
  return (
    <fieldset className="sub-form">
      <legend>{label}</legend>
      {schema.description && <p className="hint">{schema.description}</p>}
      {errors.map((error) => (
        <p key={error} className="field-error">
          {error}
        </p>
      ))}
      {items.map((item, index) => (
        // Items have no ids of their own; their place is what the server's messages name too.
        <fieldset key={index} className="sub-form item">
          <legend>
            {itemName} {index + 1}
          </legend>
          {typesOf(itemSchema).includes('object') ? (
            <SchemaFields
              schema={itemSchema}
              value={isJsonObject(item) ? item : {}}
              path={[...path, index]}
              context={context}
              onChange={(next) => onChange(items.map((old, at) => (at === index ? next : old)))}
            />
          ) : (
            <SchemaField
              name={itemName}
              schema={itemSchema}
              value={item}
              required
              path={[...path, index]}
              context={context}
              onChange={(next) => onChange(items.map((old, at) => (at === index ? next : old)))}
            />
          )}
          <button type="button" className="danger" onClick={() => onChange(items.filter((_, at) => at !== index))}>
            Remove {itemName.toLowerCase()} {index + 1}
          </button>
        </fieldset>
      ))}
      <button type="button" disabled={full} onClick={() => onChange([...items, emptyValue(itemSchema)])}>
        Add {itemName.toLowerCase()}
      </button>
    </fieldset>
  );
};

/** The fields of an object schema; `skip` leaves out fields the caller shows itself. */
export const SchemaFields = ({
  schema: raw,
  value,
  path,
  context,
  onChange,
  skip = [],
}: {
  schema: JsonSchema;
  value: JsonObject;
  path: FieldPath;
  context: FormContext;
  onChange: (value: JsonObject) => void;
  skip?: string[];
}) => {
  const schema = flattenSchema(raw, value);
  return (
    <>
      {Object.entries(schema.properties ?? {})
        .filter(([name]) => !skip.includes(name))
        .map(([name, field]) => (
          <SchemaField
            key={name}
            name={name}
            schema={field}
            value={value[name]}
            required={schema.required?.includes(name) ?? false}
            path={[...path, name]}
            context={context}
            onChange={(next) => {
              const copy = { ...value };
              if (next === undefined) delete copy[name];
              else copy[name] = next;
              onChange(copy);
            }}
          />
        ))}
    </>
  );
};
