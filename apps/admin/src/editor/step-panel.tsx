import { useId, useState } from 'react';
import type { DefinitionProblem } from '../api/api-client.js';
import { type FormContext, humanise, SchemaFields, singular } from './schema-form.js';
import { flattenSchema, type JsonSchema, type StepTypeInfo, typesOf } from './step-types.js';
import { type FieldPath, fieldErrorsOf, isJsonObject, isTargetField, pathInStep, pathText, type Step } from './workflow-definition.js';

const STEP_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A field of a step that a dragged connection can set: `next`, `elseNext`, `options[1].next`, … */
export interface TargetSlot {
  path: FieldPath;
  label: string;
}

/** The target fields of this step as its schema defines them, one per existing choice or branch. */
export const targetSlots = (schema: JsonSchema, step: Step): TargetSlot[] => {
  const slots: TargetSlot[] = [];
  for (const [name, raw] of Object.entries(flattenSchema(schema).properties ?? {})) {
    const field = flattenSchema(raw);
    if (isTargetField(name)) slots.push({ path: [name], label: humanise(name) });
    else if (typesOf(field).includes('array') && Array.isArray(step[name])) {
      const itemFields = Object.keys(flattenSchema(field.items ?? {}).properties ?? {}).filter(isTargetField);
      (step[name] as unknown[]).forEach((item, index) => {
        const itemLabel = isJsonObject(item) && typeof item.label === 'string' && item.label !== '' ? ` "${item.label}"` : '';
        for (const itemField of itemFields) {
          slots.push({
            path: [name, index, itemField],
            label: `${singular(name)} ${index + 1}${itemLabel}: ${humanise(itemField).toLowerCase()}`,
          });
        }
      });
    }
  }
  return slots;
};

/** How a problem reads in its step's panel: `variable must match …`. */
export const problemText = (problem: DefinitionProblem): string => `${pathInStep(problem.path)} ${problem.message}`.trim();

export const StepPanel = ({
  step,
  info,
  stepIds,
  problems,
  readOnly,
  connectPath,
  onConnectPathChange,
  onChange,
  onRename,
  onDelete,
}: {
  step: Step;
  info: StepTypeInfo | undefined;
  stepIds: string[];
  problems: DefinitionProblem[];
  readOnly: boolean;
  connectPath: FieldPath | undefined;
  onConnectPathChange: (path: FieldPath) => void;
  onChange: (step: Step) => void;
  onRename: (id: string) => void;
  onDelete: () => void;
}) => {
  const idBase = useId().replace(/:/g, '');
  const [idText, setIdText] = useState(step.id);
  // Another step selected, or this one renamed: the field shows its id (set while rendering, so
  // that no frame shows the old one).
  const [idShown, setIdShown] = useState(step.id);
  if (idShown !== step.id) {
    setIdShown(step.id);
    setIdText(step.id);
  }
  const idProblem =
    idText === step.id
      ? null
      : !STEP_ID_PATTERN.test(idText)
        ? 'A step id is 1 to 64 letters, digits, _ or -.'
        : stepIds.includes(idText)
          ? `Another step is called ${idText}.`
          : null;

  const errors = fieldErrorsOf(problems, pathInStep);
  const context: FormContext = { idBase, stepIds, errors };
  const slots = info ? targetSlots(info.schema, step) : [];
  const title = info?.title ?? step.type;

  return (
    <section className="step-panel" aria-labelledby={`${idBase}-title`}>
      <h2 id={`${idBase}-title`}>
        {title} <span className="step-panel-id">{step.id}</span>
      </h2>
      {info?.description && <p className="hint">{info.description}</p>}
      {problems.length > 0 && (
        <div className="notice error step-problems">
          <p>The server refused this step:</p>
          <ul>
            {problems.map((problem) => (
              <li key={`${problem.path} ${problem.message}`}>{problemText(problem)}</li>
            ))}
          </ul>
        </div>
      )}
      {info === undefined && <p className="notice">There is no form for steps of type {step.type}.</p>}
      <fieldset className="step-fields" disabled={readOnly}>
        <legend className="visually-hidden">Fields of step {step.id}</legend>
        <div className="field">
          <label htmlFor={`${idBase}-id`}>Step id</label>
          <input
            id={`${idBase}-id`}
            value={idText}
            aria-invalid={idProblem !== null || undefined}
            aria-describedby={idProblem ? `${idBase}-id-error` : `${idBase}-id-help`}
            onChange={(event) => {
              const next = event.target.value;
              setIdText(next);
              if (STEP_ID_PATTERN.test(next) && !stepIds.includes(next)) onRename(next);
            }}
          />
          {idProblem ? (
            <p className="field-error" id={`${idBase}-id-error`}>
              {idProblem}
            </p>
          ) : (
            <p className="hint" id={`${idBase}-id-help`}>
              Links to this step follow a new id.
            </p>
          )}
          {(errors.get('id') ?? []).map((error) => (
            <p key={error} className="field-error">
              {error}
            </p>
          ))}
        </div>
        {info && (
          <SchemaFields
            schema={info.schema}
            value={step}
            path={[]}
            context={context}
            skip={['id', 'type']}
            onChange={(next) => onChange(next as Step)}
          />
        )}
      </fieldset>
      {!readOnly && slots.length > 1 && (
        <div className="field">
          <label htmlFor={`${idBase}-connect`}>A connection dragged from this step sets</label>
          <select
            id={`${idBase}-connect`}
            value={pathText(connectPath ?? slots[0].path)}
            onChange={(event) => {
              const slot = slots.find((candidate) => pathText(candidate.path) === event.target.value);
              if (slot) onConnectPathChange(slot.path);
            }}
          >
            {slots.map((slot) => (
              <option key={pathText(slot.path)} value={pathText(slot.path)}>
                {slot.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {!readOnly && (
        <button type="button" className="danger" onClick={onDelete}>
          Delete step
        </button>
      )}
    </section>
  );
};
