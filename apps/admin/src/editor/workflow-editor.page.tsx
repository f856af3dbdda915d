import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, dataOf, type DefinitionProblem, type Schemas } from '../api/api-client.js';
import { useSignedIn } from '../auth/auth-context.js';
import { Link, useLeaveGuard } from '../routing/router.js';
import { describeError, ErrorNotice } from '../ui/errors.js';
import { usePageDetail } from '../layout/page-title.js';
import { canvasLinks, FlowCanvas, type Selection } from './flow-canvas.js';
import { emptyValue, fieldName, SchemaFields } from './schema-form.js';
import { problemText, StepPanel, targetSlots } from './step-panel.js';
import { flattenSchema, type JsonSchema, type StepTypeInfo, type StepTypes } from './step-types.js';
import { keepDraft, keptDraft } from './kept-draft.js';
import { TryItPanel } from './try-it-panel.js';
import { WorkflowNameDialog } from '../workflows/workflow-name.dialog.js';
import { type VersionEntry, VersionHistory } from './version-history.js';
import {
  type Definition,
  type FieldPath,
  fieldErrorsOf,
  freshStepId,
  type JsonObject,
  pathInSettings,
  pathText,
  refusedProblems,
  type RefusedProblem,
  standingProblems,
  removeStep,
  renameStep,
  sameDefinition,
  type Step,
  writePath,
} from './workflow-definition.js';
import './editor.css';

type WorkflowDetails = Schemas['WorkflowDetailsDto'];

/** What the header shows; the definition itself is held as `saved` and `draft`. */
type WorkflowHeading = Pick<WorkflowDetails, 'name' | 'version'>;

type PublishDefinition = Schemas['PublishDefinitionDto'];

interface OldVersion {
  entry: VersionEntry;
  definition: Definition;
}

type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; message: string }
  | { kind: 'conflict'; newest: number | undefined }
  | { kind: 'invalid'; message: string }
  | { kind: 'failed'; error: unknown };

type Tab = 'step' | 'versions' | 'try';

/**
 * A problem of the flow as a whole, as the banner lists it: a setting by its field's label, as the
 * settings form shows it (`Session timeout seconds must be …`), anything else by its path.
 */
const generalProblemText = (problem: DefinitionProblem, settings: JsonSchema | undefined): string => {
  const setting = /^settings\.([A-Za-z0-9_]+)(.*)$/.exec(problem.path);
  if (setting === null || settings === undefined) return problemText(problem);
  const [, name, within] = setting;
  return `${fieldName(name, settings.properties?.[name])}${within} ${problem.message}`;
};

/** What a dragged connection sets unless the panel says otherwise: `next`, or the first target field. */
const defaultConnectPath = (info: StepTypeInfo, step: Step): FieldPath | undefined => {
  const slots = targetSlots(info.schema, step);
  return (slots.find((slot) => slot.path.length === 1 && slot.path[0] === 'next') ?? slots[0])?.path;
};

const definitionOf = (workflow: Pick<WorkflowDetails, 'steps' | 'settings'>): Definition => ({
  steps: workflow.steps,
  settings: workflow.settings ?? {},
});

const CANVAS_ID = 'flow-canvas';

/**
 * Once the canvas has drawn the change, gives the keyboard focus to step `id` (the canvas itself
 * when there is none), so that focus never drops to the page after a step or link goes or comes back.
 */
/** Once the new step's form is drawn, takes the keyboard (and, on a narrow window, the eye) to its first field. */
const focusStepFormSoon = (): void => {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('#tabpanel-step :is(input, textarea, select)')?.focus());
};

const focusStepSoon = (id: string | null): void => {
  requestAnimationFrame(() => {
    const node = id === null ? null : document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
    (node ?? document.getElementById(CANVAS_ID))?.focus();
  });
};

/**
 * The body that publishes `definition`. The editor holds steps of whatever types `GET /step-types`
 * lists (its forms are made from their schemas), so their fields are checked by the server, which
 * answers 400 with the problems, not by this type.
 */
const publishBody = (definition: Definition, expectedVersion: number): PublishDefinition => ({
  steps: definition.steps as PublishDefinition['steps'],
  settings: definition.settings,
  expectedVersion,
});

export const WorkflowEditorPage = ({ workflowId }: { workflowId: string }) => {
  const { api, canChange, signedIn } = useSignedIn();
  const [workflow, setWorkflow] = useState<WorkflowHeading | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [stepTypes, setStepTypes] = useState<StepTypes | null>(null);
  const [stepTypesError, setStepTypesError] = useState<unknown>(null);
  const [saved, setSaved] = useState<Definition>({ steps: [], settings: {} });
  const [draft, setDraft] = useState<Definition>({ steps: [], settings: {} });
  const [selection, setSelection] = useState<Selection>(null);
  const [connectPaths, setConnectPaths] = useState<Record<string, FieldPath>>({});
  const [problems, setProblems] = useState<RefusedProblem[]>([]);
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [oldVersion, setOldVersion] = useState<OldVersion | null>(null);
  const [oldVersionError, setOldVersionError] = useState<unknown>(null);
  const [tab, setTab] = useState<Tab>('step');
  const [historyKey, setHistoryKey] = useState(0);
  const [renaming, setRenaming] = useState(false);
  const [draftRestored, setDraftRestored] = useState(false);
  const [removal, setRemoval] = useState<{
    before: Definition;
    after: Definition;
    selection: Exclude<Selection, null>;
    what: string;
  } | null>(null);

  const dirty = workflow !== null && !sameDefinition(draft, saved);
  usePageDetail(workflow?.name);
  // Edits the user agreed to lose are not brought back later; a reload or an expired sign-in keeps them.
  useLeaveGuard(
    dirty,
    useCallback(() => keepDraft(signedIn, workflowId, null), [signedIn, workflowId]),
  );
  useEffect(() => {
    if (workflow !== null && canChange)
      keepDraft(signedIn, workflowId, dirty ? { baseVersion: workflow.version, definition: draft } : null);
  }, [signedIn, workflowId, workflow, canChange, dirty, draft]);

  /** Shows the workflow as loaded; on opening, with the edits kept from before when they were made on this version. */
  const adopt = useCallback(
    (details: WorkflowDetails, opening = false) => {
      const definition = definitionOf(details);
      const kept = opening ? keptDraft(signedIn, workflowId) : undefined;
      const restore = kept !== undefined && kept.baseVersion === details.version && !sameDefinition(kept.definition, definition);
      setWorkflow({ name: details.name, version: details.version });
      setSaved(definition);
      setDraft(restore ? kept.definition : definition);
      setDraftRestored(restore);
      setProblems([]);
      setSelection(null);
      setOldVersion(null);
    },
    [signedIn, workflowId],
  );

  /** The workflow as the API has it; waits for `atLeast` when a newer version is known to exist. */
  const load = useCallback(
    async (atLeast = 0) => {
      for (let attempt = 0; ; attempt++) {
        const details = dataOf(await api.GET('/workflows/{id}', { params: { path: { id: workflowId } } }));
        if (details.version >= atLeast || attempt >= 20) return details;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    [api, workflowId],
  );

  useEffect(() => {
    let live = true;
    load().then(
      (details) => live && adopt(details, true),
      (error: unknown) => live && setLoadError(error),
    );
    api.GET('/step-types').then(
      (answer) => live && setStepTypes(dataOf(answer)),
      (error: unknown) => live && setStepTypesError(error),
    );
    return () => {
      live = false;
    };
  }, [api, load, adopt]);

  const typeInfo = useMemo(() => new Map<string, StepTypeInfo>((stepTypes?.items ?? []).map((info) => [info.type, info])), [stepTypes]);
  const titles = useMemo(() => new Map([...typeInfo].map(([type, info]) => [type, info.title])), [typeInfo]);
  const hasNext = useCallback((type: string) => 'next' in (flattenSchema(typeInfo.get(type)?.schema ?? {}).properties ?? {}), [typeInfo]);
  const canLink = useCallback(
    (type: string) => {
      const info = typeInfo.get(type);
      return info !== undefined && targetSlots(info.schema, { id: '', type }).length > 0;
    },
    [typeInfo],
  );

  const viewing = oldVersion !== null;
  const readOnly = !canChange || viewing;
  const shown = oldVersion?.definition ?? draft;
  const stepIds = shown.steps.map((step) => step.id);
  // A problem is shown until what it is about changes: the next save says whether the change mends it.
  const standing = useMemo(() => standingProblems(problems, draft), [problems, draft]);
  const problemCounts = useMemo(() => {
    const counts = new Map<string, number>();
    if (!viewing) for (const problem of standing) if (problem.stepId) counts.set(problem.stepId, (counts.get(problem.stepId) ?? 0) + 1);
    return counts;
  }, [standing, viewing]);
  const generalProblems = standing.filter((problem) => problem.stepId === undefined || !stepIds.includes(problem.stepId));

  const updateSteps = (change: (steps: Step[]) => Step[]) => setDraft((current) => ({ ...current, steps: change(current.steps) }));
  const replaceStep = (id: string, step: Step) => updateSteps((steps) => steps.map((old) => (old.id === id ? step : old)));

  const addStep = (info: StepTypeInfo) => {
    const id = freshStepId(draft.steps, info.type);
    const step = { ...(emptyValue(info.schema) as JsonObject), id, type: info.type } as Step;
    // After the selected step, so that it can follow it; otherwise at the end.
    const after = selection?.kind === 'step' ? draft.steps.findIndex((old) => old.id === selection.id) : -1;
    updateSteps((steps) => (after === -1 ? [...steps, step] : [...steps.slice(0, after + 1), step, ...steps.slice(after + 1)]));
    setSelection({ kind: 'step', id });
    setTab('step');
    focusStepFormSoon();
  };

  const connect = (source: string, target: string) => {
    const step = draft.steps.find((candidate) => candidate.id === source);
    const info = step && typeInfo.get(step.type);
    if (!step || !info) return;
    const path = connectPaths[source] ?? defaultConnectPath(info, step);
    if (path === undefined) return;
    replaceStep(source, writePath(step, path, target));
    setSelection({ kind: 'step', id: source });
    setTab('step');
  };

  /** The draft without `target`: a step (with the links to it), or a connection. */
  const without = (definition: Definition, target: Exclude<Selection, null>): Definition => {
    if (target.kind === 'step') return { ...definition, steps: removeStep(definition.steps, target.id) };
    if (target.path === 'default') return definition;
    const { source, path } = target;
    return { ...definition, steps: definition.steps.map((step) => (step.id === source ? writePath(step, path, undefined) : step)) };
  };

  const remove = (targets: Exclude<Selection, null>[]) => {
    const after = targets.reduce(without, draft);
    if (readOnly || after === draft) return;
    const [first] = targets;
    const what =
      targets.length > 1 ? `${targets.length} items deleted.` : first.kind === 'step' ? `Step ${first.id} deleted.` : 'Connection deleted.';
    setDraft(after);
    setRemoval({ before: draft, after, selection: first, what });
    setSelection(null);
    // The keyboard focus was on what went: it goes on at the step beside it, or at the link's source.
    const at = first.kind === 'step' ? draft.steps.findIndex((step) => step.id === first.id) : -1;
    const beside = first.kind === 'step' ? (after.steps[Math.max(at - 1, 0)]?.id ?? null) : first.source;
    focusStepSoon(beside);
  };
  // Offered while nothing else changed since: undoing then loses nothing.
  const undoable = removal !== null && removal.after === draft ? removal : null;
  const undoRemoval = () => {
    if (undoable === null) return;
    setDraft(undoable.before);
    setSelection(undoable.selection);
    setRemoval(null);
    focusStepSoon(undoable.selection.kind === 'step' ? undoable.selection.id : undoable.selection.source);
  };

  const rename = (from: string, to: string) => {
    updateSteps((steps) => renameStep(steps, from, to));
    setSelection({ kind: 'step', id: to });
    setConnectPaths(({ [from]: path, ...others }) => (path === undefined ? others : { ...others, [to]: path }));
    setProblems((current) => current.map((problem) => (problem.stepId === from ? { ...problem, stepId: to } : problem)));
  };

  /** Publishes `definition` as the next version; a refusal keeps everything as it was. */
  const publish = async (definition: Definition, done: (version: number) => string) => {
    if (workflow === null) return;
    setSaveState({ kind: 'saving' });
    try {
      const { version } = dataOf(
        await api.PUT('/workflows/{id}/definition', {
          params: { path: { id: workflowId } },
          body: publishBody(definition, workflow.version),
        }),
      );
      setWorkflow({ ...workflow, version });
      setSaved(definition);
      setProblems([]);
      setHistoryKey((key) => key + 1);
      setSaveState({ kind: 'saved', message: done(version) });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        setSaveState({ kind: 'conflict', newest: error.currentVersion });
      } else if (error instanceof ApiError && error.status === 400) {
        setProblems(refusedProblems(error.problems, definition));
        setSaveState({ kind: 'invalid', message: error.message });
      } else {
        setSaveState({ kind: 'failed', error });
      }
      return false;
    }
  };

  const canSave = dirty && saveState.kind !== 'saving' && !viewing;
  const save = () => {
    if (canSave) void publish(draft, (version) => `Saved as version ${version}.`);
  };

  const restore = async () => {
    if (oldVersion === null || saveState.kind === 'saving') return;
    const { definition, entry } = oldVersion;
    if (dirty && !window.confirm(`Restoring version ${entry.version} replaces your unsaved changes. Restore it?`)) return;
    if (await publish(definition, (version) => `Version ${entry.version} restored as version ${version}.`)) {
      setDraft(definition);
      setOldVersion(null);
      setSelection(null);
    }
  };

  const reload = async (atLeast?: number) => {
    if (dirty && !window.confirm('Reload the newest version? Your unsaved changes will be lost.')) return;
    try {
      adopt(await load(atLeast));
      setSaveState({ kind: 'idle' });
    } catch (error) {
      setSaveState({ kind: 'failed', error });
    }
  };

  const openVersion = async (entry: VersionEntry) => {
    setOldVersionError(null);
    try {
      const found = dataOf(
        await api.GET('/workflows/{id}/versions/{version}', { params: { path: { id: workflowId, version: entry.version } } }),
      );
      setOldVersion({ entry, definition: definitionOf(found) });
      setSelection(null);
    } catch (error) {
      setOldVersionError(error);
    }
  };

  if (loadError !== null) {
    if (loadError instanceof ApiError && loadError.status === 404) {
      return (
        <>
          <h1>Workflow not found</h1>
          <p className="notice error" role="alert">
            This workflow does not exist or was deleted.
          </p>
          <p>
            <Link to="/">Back to Workflows</Link>
          </p>
        </>
      );
    }
    return <ErrorNotice error={loadError} />;
  }
  if (workflow === null) return <p className="hint">Loading the workflow…</p>;

  const selectedStep = selection?.kind === 'step' ? shown.steps.find((step) => step.id === selection.id) : undefined;
  const selectedLink =
    selection?.kind === 'link'
      ? canvasLinks(shown.steps, hasNext).find(
          (link) =>
            link.source === selection.source &&
            (selection.path === 'default' ? link.implicit : !link.implicit && pathText(link.path) === pathText(selection.path)),
        )
      : undefined;

  const tabs: { id: Tab; label: string }[] = [
    { id: 'step', label: selectedStep ? 'Step' : 'Details' },
    { id: 'versions', label: 'Versions' },
    ...(canChange ? [{ id: 'try' as const, label: 'Try it' }] : []),
  ];

  return (
    <div className="editor">
      <header className="editor-header">
        <Link to="/" className="back-link" aria-label="Back to Workflows">
          ←
        </Link>
        <h1 title={workflow.name}>{workflow.name}</h1>
        {canChange && (
          <button type="button" onClick={() => setRenaming(true)}>
            Rename
          </button>
        )}
        <span className="version-number">Version {workflow.version}</span>
        {dirty && <span className="unsaved">Unsaved changes</span>}
        <span className="spacer" />
        <Link to={`/workflows/${workflowId}/sessions`}>Sessions</Link>
        {canChange && (
          // aria-disabled rather than disabled: the button keeps the keyboard focus after a save.
          <button type="button" className="primary" onClick={save} aria-disabled={!canSave}>
            {saveState.kind === 'saving' ? 'Saving…' : 'Save'}
          </button>
        )}
      </header>

      <div className="editor-messages">
        {draftRestored && dirty && (
          <p className="notice" role="status">
            Your unsaved changes from before are back: save them, or go on editing.
          </p>
        )}
        {undoable !== null && (
          <div className="notice row" role="status">
            <p>{undoable.what}</p>
            <button type="button" onClick={undoRemoval}>
              Undo
            </button>
          </div>
        )}
        {/* Each stands while it is about the draft shown: an edit since makes "Saved" untrue, and a
            draft back as saved has nothing left that a refusal could be about. */}
        {saveState.kind === 'saved' && !dirty && (
          <p className="notice ok" role="status">
            {saveState.message}
          </p>
        )}
        {saveState.kind === 'conflict' && (
          <div className="notice error row" role="alert">
            <p>
              Someone else saved {saveState.newest === undefined ? 'a newer version' : `version ${saveState.newest}`} of this workflow while
              you were editing, so your changes were not saved. Reload to continue from the newest version.
            </p>
            <button type="button" onClick={() => void reload(saveState.newest)}>
              Reload
            </button>
          </div>
        )}
        {saveState.kind === 'invalid' && dirty && (
          <div className="notice error" role="alert">
            <p>
              {problems.length > 0 && standing.length === 0
                ? 'Not saved: the server found problems in this flow, and you have changed everything it named since. Save to check again.'
                : 'Not saved: the server found problems in this flow. Your changes are still here; the steps concerned are marked.'}
            </p>
            {generalProblems.length > 0 && (
              <ul>
                {generalProblems.map((problem) => (
                  <li key={`${problem.path} ${problem.message}`}>
                    {generalProblemText(problem, stepTypes?.settings) || saveState.message}
                  </li>
                ))}
              </ul>
            )}
            {problems.length === 0 && <p>{saveState.message}</p>}
          </div>
        )}
        {saveState.kind === 'failed' && (
          <p className="notice error" role="alert">
            Not saved: {describeError(saveState.error)}
          </p>
        )}
        <ErrorNotice error={stepTypesError} />
        <ErrorNotice error={oldVersionError} />
        {oldVersion !== null && (
          <div className="notice row old-version">
            <p>
              Viewing version {oldVersion.entry.version} (read-only), {oldVersion.entry.how.toLowerCase()} by {oldVersion.entry.by}.
            </p>
            <span className="spacer" />
            {/* A version without steps (a new workflow's first) cannot be published again: nothing to restore. */}
            {canChange && oldVersion.definition.steps.length === 0 && (
              <p className="hint">It has no steps, so there is nothing to restore.</p>
            )}
            {canChange && oldVersion.definition.steps.length > 0 && (
              <button type="button" className="primary" onClick={() => void restore()} aria-disabled={saveState.kind === 'saving'}>
                Restore version {oldVersion.entry.version}
              </button>
            )}
            <button type="button" onClick={() => setOldVersion(null)}>
              Back to the current version
            </button>
          </div>
        )}
      </div>

      <div className={readOnly ? 'editor-body read-only' : 'editor-body'}>
        {!readOnly && (
          <nav className="palette" aria-label="Add a step">
            <h2>Add a step</h2>
            {stepTypes === null && stepTypesError === null && <p className="hint">Loading step types…</p>}
            {stepTypes?.items.map((info) => (
              <div key={info.type} className="palette-entry">
                <button type="button" onClick={() => addStep(info)} aria-describedby={`palette-${info.type}`}>
                  Add {info.title}
                </button>
                <p className="hint" id={`palette-${info.type}`}>
                  {info.description}
                </p>
              </div>
            ))}
          </nav>
        )}
        <section className="canvas" aria-label="Flow" id={CANVAS_ID} tabIndex={-1}>
          {shown.steps.length === 0 && (
            <p className="canvas-empty hint">
              {readOnly ? 'This version has no steps.' : 'No steps yet: add the first one from the palette.'}
            </p>
          )}
          <FlowCanvas
            steps={shown.steps}
            titles={titles}
            hasNext={hasNext}
            canLink={canLink}
            selection={selection}
            problemCounts={problemCounts}
            readOnly={readOnly}
            onSelect={(next) => {
              setSelection(next);
              if (next !== null) setTab('step');
            }}
            onConnect={connect}
            onDelete={remove}
          />
        </section>
        <aside className="side-panel" aria-label="Panel">
          <div role="tablist" aria-label="Panel" className="tabs">
            {tabs.map((entry) => (
              <button
                key={entry.id}
                type="button"
                role="tab"
                id={`tab-${entry.id}`}
                aria-selected={tab === entry.id}
                aria-controls={`tabpanel-${entry.id}`}
                tabIndex={tab === entry.id ? 0 : -1}
                onClick={() => setTab(entry.id)}
                onKeyDown={(event) => {
                  if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
                  const at = tabs.findIndex((candidate) => candidate.id === tab);
                  const next = tabs[(at + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
                  setTab(next.id);
                  document.getElementById(`tab-${next.id}`)?.focus();
                }}
              >
                {entry.label}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
            {tab === 'step' &&
              (selectedStep ? (
                <StepPanel
                  key={viewing ? 'old-version' : 'draft'}
                  step={selectedStep}
                  info={typeInfo.get(selectedStep.type)}
                  stepIds={stepIds.filter((id) => id !== selectedStep.id)}
                  problems={viewing ? [] : standing.filter((problem) => problem.stepId === selectedStep.id)}
                  readOnly={readOnly}
                  connectPath={
                    connectPaths[selectedStep.id] ??
                    (typeInfo.has(selectedStep.type) ? defaultConnectPath(typeInfo.get(selectedStep.type)!, selectedStep) : undefined)
                  }
                  onConnectPathChange={(path) => setConnectPaths((current) => ({ ...current, [selectedStep.id]: path }))}
                  onChange={(step) => replaceStep(selectedStep.id, step)}
                  onRename={(to) => rename(selectedStep.id, to)}
                  onDelete={() => remove([{ kind: 'step', id: selectedStep.id }])}
                />
              ) : selectedLink ? (
                <section className="link-panel" aria-labelledby="link-title">
                  <h2 id="link-title">Connection</h2>
                  <p>
                    From <strong>{selectedLink.source}</strong> to <strong>{selectedLink.target}</strong>
                    {selectedLink.label ? ` (${selectedLink.label})` : ''}.
                  </p>
                  {selectedLink.implicit ? (
                    <p className="hint">
                      Without a next step set, a step goes on to the following one. Set Next on the step to go elsewhere.
                    </p>
                  ) : (
                    !readOnly && (
                      <button type="button" className="danger" onClick={() => selection && remove([selection])}>
                        Delete connection
                      </button>
                    )
                  )}
                </section>
              ) : (
                <section aria-labelledby="settings-title">
                  <h2 id="settings-title">Workflow settings</h2>
                  <p className="hint">
                    {readOnly
                      ? 'Select a step on the canvas to see its fields.'
                      : 'Select a step on the canvas to edit it, or add one from the palette.'}
                  </p>
                  {stepTypes && (
                    <fieldset className="step-fields" disabled={readOnly}>
                      <legend className="visually-hidden">Settings</legend>
                      <SchemaFields
                        schema={stepTypes.settings}
                        value={shown.settings}
                        path={[]}
                        context={{
                          idBase: 'settings',
                          stepIds,
                          errors: fieldErrorsOf(
                            standing.filter((problem) => problem.path.startsWith('settings.')),
                            pathInSettings,
                          ),
                        }}
                        onChange={(settings) => setDraft((current) => ({ ...current, settings }))}
                      />
                    </fieldset>
                  )}
                </section>
              ))}
            {tab === 'versions' && (
              <VersionHistory
                workflowId={workflowId}
                currentVersion={workflow.version}
                openVersion={oldVersion?.entry.version ?? null}
                refreshKey={historyKey}
                onOpen={(entry) => void openVersion(entry)}
              />
            )}
            {tab === 'try' && canChange && (
              <TryItPanel workflowId={workflowId} version={workflow.version} hasSteps={saved.steps.length > 0} dirty={dirty} />
            )}
          </div>
        </aside>
      </div>
      {renaming && (
        <WorkflowNameDialog
          title="Rename workflow"
          initialName={workflow.name}
          onClose={() => setRenaming(false)}
          onSubmit={async (name) => {
            // The name as the server stored it (trimmed by its rules, not this page's).
            const renamed = dataOf(await api.PATCH('/workflows/{id}', { params: { path: { id: workflowId } }, body: { name } }));
            setWorkflow((current) => (current ? { ...current, name: renamed.name } : current));
            // In place of the last save's "Saved as version 3.", which would read as what just happened.
            setSaveState((state) =>
              state.kind === 'idle' || state.kind === 'saved' ? { kind: 'saved', message: `Renamed to “${renamed.name}”.` } : state,
            );
            setRenaming(false);
          }}
        />
      )}
    </div>
  );
};
