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

/** The admin settings page: stored values, the form draft and its actions. */
export function createSettingsStore(
  options: SettingsStoreOptions,
): SettingsStore {
  const { api, accountHost } = options;
  const store: SettingsStore = {
    view: signal(null),
    draft: signal(null),
    loading: signal(false),
    loadError: signal(null),
    fieldErrors: signal({}),
    saving: createTask(),
    check: createTask(),
    lists: createTask(),
    load,
    update,
    save,
    runCheck: async () => {
      await runTask(store.check, () => api.checkSettings());
    },
    loadLists: async () => {
      await runTask(store.lists, () => api.getOnecLists());
    },
  };

  async function load(): Promise<void> {
    store.loading.value = true;
    try {
      showView(await api.getSettings());
      store.loadError.value = null;
    } catch (error) {
      store.loadError.value = toApiError(error);
    } finally {
      store.loading.value = false;
    }
    if (store.view.value?.onec != null) await store.loadLists();
  }

  function update<S extends DraftSection>(
    section: S,
    patch: Partial<SettingsDraft[S]>,
  ): void {
    const draft = store.draft.value;
    if (draft === null) return;

    store.draft.value = {
      ...draft,
      [section]: { ...draft[section], ...patch },
    };
    store.fieldErrors.value = withoutFields(
      store.fieldErrors.value,
      Object.keys(patch).map((field) => `${section}.${field}`),
    );
    store.saving.result.value = null;
  }

  async function save(): Promise<void> {
    const draft = store.draft.value;
    if (draft === null) return;

    const conversion = toSettingsInput(draft);
    if (!conversion.ok) {
      store.fieldErrors.value = conversion.fieldErrors;
      return;
    }
    const saved = await runTask(store.saving, () =>
      api.saveSettings(conversion.input),
    );
    if (saved !== null) showView(saved);
    store.fieldErrors.value = toFieldProblems(store.saving.error.value);
  }

  function showView(view: SettingsView): void {
    store.view.value = view;
    store.draft.value = toSettingsDraft(view, accountHost);
  }

  return store;
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
