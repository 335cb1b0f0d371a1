/**
 * The parts of amoCRM's widget object and page globals amo1c uses
 * (reference amocrm §5.3, §5.4). Only entry/ sees these types.
 */
export interface AuthorizedAjaxOptions {
  url: string;
  method: string;
  data?: string;
  contentType?: string;
  dataType: "json";
}

/** The jqXHR given to `.fail` (and third to `.done`). */
export interface JqXhrLike {
  status: number;
  responseJSON?: unknown;
  responseText?: string;
}

export interface DeferredLike {
  done(callback: (data: unknown, status: string, xhr: JqXhrLike) => void): this;
  fail(callback: (xhr: JqXhrLike) => void): this;
}

export type AuthorizedAjax = (options: AuthorizedAjaxOptions) => DeferredLike;

export interface RenderTemplateOptions {
  caption: { class_name: string };
  body: string;
  render: string;
}

/** amoCRM's `$modal_body` argument of the settings callback: a jQuery set. */
export interface ElementSetLike extends ArrayLike<Element> {
  find?(selector: string): ArrayLike<Element>;
}

export interface AmoWidgetHost {
  /** Where amoCRM serves the zip's files, and the widget's version. */
  params?: { widget_code?: string; path?: string; version?: string };
  get_settings(): { backend_url?: string };
  system(): { lang?: string; domain?: string; area?: string };
  /** One group of the zip's i18n/<lang>.json, such as i18n("panel"). */
  i18n(group: string): unknown;
  render_template(options: RenderTemplateOptions): void;
  $authorizedAjax: AuthorizedAjax;
}

export interface WidgetCallbacks {
  render(): boolean;
  init(): boolean;
  bind_actions(): boolean;
  settings($modalBody?: ElementSetLike): boolean;
  onSave(): boolean;
  destroy(): void;
}

/** `APP` (current) or `AMOCRM` (its older alias) on amoCRM's page. */
export interface AmoPageGlobal {
  lang_id?: string;
  data?: { current_card?: { id?: number | string } };
  getBaseEntity?(): string;
}
