import { signal } from "@preact/signals-core";
import type { Signal } from "@preact/signals-core";

import type { CheckResult } from "../../../shared/check-result.js";
import type { SettingsView } from "../../../shared/settings.js";
import type { ApiError } from "../api/api-error.js";
import type { ApiClient, OnecLists } from "../api/create-api-client.js";
import { toSettingsDraft, toSettingsInput } from "./settings-draft.js";
import type {
  DraftSection,
  FieldProblem,
  SettingsDraft,
} from "./settings-draft.js";
import { toApiError } from "./to-api-error.js";

/** One request the page runs on demand, with its result or failure. */
export interface Task<T> {
  running: Signal<boolean>;
  result: Signal<T | null>;
  error: Signal<ApiError | null>;
}

export interface SettingsStore {
  view: Signal<SettingsView | null>;
  draft: Signal<SettingsDraft | null>;
  loading: Signal<boolean>;
  loadError: Signal<ApiError | null>;
  /** Field path such as "onec.odataUrl" → what is wrong with it. */
  fieldErrors: Signal<Record<string, FieldProblem>>;
  saving: Task<SettingsView>;
  check: Task<CheckResult>;
  lists: Task<OnecLists>;
  load(): Promise<void>;
  update<S extends DraftSection>(
    section: S,
    patch: Partial<SettingsDraft[S]>,
  ): void;
  save(): Promise<void>;
  runCheck(): Promise<void>;
  loadLists(): Promise<void>;
}

export interface SettingsStoreOptions {
  api: Pick<
    ApiClient,
    "getSettings" | "saveSettings" | "checkSettings" | "getOnecLists"
  >;
  /** Account host to offer when none is stored, such as acme.amocrm.ru */
  accountHost: string;
}

type SettingsState = Omit<
  SettingsStore,
  "load" | "update" | "save" | "runCheck" | "loadLists"
>;

/** The admin settings page: stored values, the form draft and its actions. */
export function createSettingsStore(
  options: SettingsStoreOptions,
): SettingsStore {
  const { api } = options;
  const state: SettingsState = {
    view: signal(null),
    draft: signal(null),
    loading: signal(false),
    loadError: signal(null),
    fieldErrors: signal({}),
    saving: createTask(),
    check: createTask(),
    lists: createTask(),
  };
  const loadLists = async () => {
    await runTask(state.lists, () => api.getOnecLists());
  };

  return {
    ...state,
    load: async () => {
      await loadSettings(state, options);
      if (state.view.value?.onec != null) await loadLists();
    },
    update: (section, patch) => updateDraft(state, section, patch),
    save: () => saveDraft(state, options),
    runCheck: async () => {
      const result = await runTask(state.check, () => api.checkSettings());
      if (result !== null) await refreshConnection(state, options);
    },
    loadLists,
  };
}

async function loadSettings(
  state: SettingsState,
  { api, accountHost }: SettingsStoreOptions,
): Promise<void> {
  state.loading.value = true;
  try {
    showView(state, await api.getSettings(), accountHost);
    state.loadError.value = null;
  } catch (error) {
    state.loadError.value = toApiError(error);
  } finally {
    state.loading.value = false;
  }
}

/**
 * The Check records the connection state on the server, so the status line
 * is read again; the draft stays, as the admin may have typed unsaved values.
 */
async function refreshConnection(
  state: SettingsState,
  { api }: SettingsStoreOptions,
): Promise<void> {
  try {
    state.view.value = await api.getSettings();
  } catch {
    // The Check's own result is on the page; the old status line stays.
  }
}

function updateDraft<S extends DraftSection>(
  state: SettingsState,
  section: S,
  patch: Partial<SettingsDraft[S]>,
): void {
  const draft = state.draft.value;
  if (draft === null) return;

  state.draft.value = { ...draft, [section]: { ...draft[section], ...patch } };
  state.fieldErrors.value = withoutFields(
    state.fieldErrors.value,
    Object.keys(patch).map((field) => `${section}.${field}`),
  );
  state.saving.result.value = null;
}

async function saveDraft(
  state: SettingsState,
  { api, accountHost }: SettingsStoreOptions,
): Promise<void> {
  const draft = state.draft.value;
  if (draft === null) return;

  const conversion = toSettingsInput(draft);
  if (!conversion.ok) {
    state.fieldErrors.value = conversion.fieldErrors;
    return;
  }
  const saved = await runTask(state.saving, () =>
    api.saveSettings(conversion.input),
  );
  if (saved !== null) showView(state, saved, accountHost);
  state.fieldErrors.value = toFieldProblems(state.saving.error.value);
}

/** Shows stored settings and resets the form to them (secrets empty). */
function showView(
  state: SettingsState,
  view: SettingsView,
  accountHost: string,
): void {
  state.view.value = view;
  state.draft.value = toSettingsDraft(view, accountHost);
}

function createTask<T>(): Task<T> {
  return { running: signal(false), result: signal(null), error: signal(null) };
}

async function runTask<T>(task: Task<T>, run: () => Promise<T>) {
  task.running.value = true;
  task.error.value = null;
  try {
    task.result.value = await run();
  } catch (error) {
    task.result.value = null;
    task.error.value = toApiError(error);
  } finally {
    task.running.value = false;
  }
  return task.result.value;
}

function toFieldProblems(error: ApiError | null): Record<string, FieldProblem> {
  const fields = error?.fields ?? {};
  const entries = Object.entries(fields).map(([path, text]) => [
    path,
    { text },
  ]);
  return Object.fromEntries(entries) as Record<string, FieldProblem>;
}

function withoutFields(
  errors: Record<string, FieldProblem>,
  paths: string[],
): Record<string, FieldProblem> {
  if (!paths.some((path) => path in errors)) return errors;
  const rest = { ...errors };
  for (const path of paths) delete rest[path];
  return rest;
}
