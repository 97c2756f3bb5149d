// The messages between content script, background, popup, options and the
// report and confirm pages: one type per message, checked by `tsc` over the
// JavaScript (tsconfig.json; `make lint`). The names' values are set at run
// time by messages.js, which `@satisfies` the Names below, so a name spelt
// differently in either place fails the check. The verdict and registry
// shapes are what src/wasm.rs serializes. Not shipped: the packer skips .d.ts.
//
// A plain .d.ts rather than JSDoc @typedefs: only a declaration file can say
// what the `Genuine` global is, and every file reads the browser API and the
// message names from it.

export type Level = 'official' | 'caution' | 'danger' | 'none';

/** A reason for a verdict (src/verdict/), in the user's language. */
export interface Reason {
  code: string;
  text: string;
}

/** What the content script read from a page (src/page/ `Signals`). */
export interface Signals {
  platform?: string | null;
  store_id?: string | null;
  store_name?: string | null;
  url?: string | null;
  unreadable?: boolean;
  [field: string]: unknown;
}

/** A store the user chose to trust, as the background puts it on a verdict. */
export interface Trusted {
  key: string;
  since: string;
  level: Level;
}

/** A report draft and where it goes (src/wasm.rs `Offer`); null: nothing to report. */
export interface ReportOffer {
  endpoint: string | null;
  [field: string]: unknown;
}

/** `Sources.check`: the verdict, the signals it was made from, the report offer, the source that spoke. */
export interface Verdict {
  level: Level;
  brand: string | null;
  reasons: Reason[];
  signals: Signals;
  report: ReportOffer | null;
  source?: string | null;
  trusted?: Trusted;
}

/** `Engine.info()` (src/wasm.rs `Info`), with `ignored` and `standing` for a source. */
export interface RegistryInfo {
  publisher: string;
  version: number;
  issued_at: string;
  expires_at: string;
  stale: boolean;
  demo: boolean;
  brands: number;
  accounts: number;
  fingerprint: string;
  heap_bytes: number;
  standing?: 'pinned' | 'managed' | 'added';
  /** What an added registry lists but may not speak for (src/sources.rs `Ignored`). */
  ignored?: { brands: string[]; accounts: number; blocked: number };
}

/** A row of the options page's registry table. */
export interface SourceRow {
  id: string;
  name: string;
  url: string;
  builtin: boolean;
  managed: boolean;
  info: RegistryInfo | null;
  /** registry.js `status()`: the last check and its error, if any. */
  status: { lastCheck?: number; error?: string | null; [field: string]: unknown };
}

/** What the content script is to read on a page (src/page/ `CollectPlan`). */
export interface Plan {
  wait_ms: number;
  [field: string]: unknown;
}

/** A report kept in the outbox or sent (reports.js). */
export interface ReportEntry {
  id: string;
  state: 'queued' | 'sent' | 'received' | 'refused' | string;
  /** The inbox's reference, once it has the report. */
  reference?: string | null;
  [field: string]: unknown;
}

/**
 * Every message: its name's value, what the sender puts beside `type`, and
 * what comes back. Who may send which is background.js's to enforce.
 */
export interface Messages {
  /** wake.js (document_start) → background: nothing but its name; it starts a stopped worker while the page arrives. */
  'genuine:wake': { req: {}; reply: {} };
  /**
   * content → background: how to read this page, from the pinned registries;
   * `stamp` names them. `asked`: read on the shopper's click, so no plan is kept.
   */
  'genuine:plan': { req: { url: string; asked?: boolean }; reply: { plan: Plan | null; stamp: string } };
  /**
   * content → background: what was read with the plan of `stamp`; the verdict
   * for the sender's tab, or `replan` when that plan was not this page's.
   */
  'genuine:snapshot': { req: { snapshot: object; stamp?: string; asked?: boolean }; reply: { verdict?: Verdict; replan?: { plan: Plan | null; stamp: string } } };
  /** popup → background: the verdict kept for a tab. */
  'genuine:tab': { req: { tabId: number }; reply: { verdict: Verdict | null; url: string | null; info: RegistryInfo | null } };
  /**
   * popup → background: "Check this page": the reader injected into a tab
   * no content script of the manifest runs in (the popup holds the host
   * access it needs), and the verdict it gave.
   */
  'genuine:read': { req: { tabId: number }; reply: { verdict: Verdict } };
  /** popup (any tab) or banner (its own tab, a caution at most) → background. */
  'genuine:trust': { req: { tabId?: number; trust: boolean }; reply: { verdict: Verdict | null } };
  /** banner → background: open the popup for the sender's tab in a window. */
  'genuine:trust-open': { req: {}; reply: {} };
  /** background → content: the user changed their trust elsewhere. */
  'genuine:verdict': { req: { verdict: Verdict }; reply: void };
  /** options → background. */
  'genuine:sources': { req: {}; reply: { sources: SourceRow[] } };
  'genuine:update': { req: {}; reply: { results: Record<string, string> } };
  'genuine:add-source': {
    req: { url: string; fingerprint: string; key_url?: string };
    reply: { source: { id: string; name: string; url: string } };
  };
  'genuine:remove-source': { req: { id: string }; reply: {} };
  /** banner (own tab) or popup (named tab, maybe with activeTab) → background: opens report.html. */
  'genuine:report-open': { req: { tabId?: number; activeTab?: boolean }; reply: {} };
  /** report page → background. */
  'genuine:report-draft': { req: { draft: string }; reply: { draft: { id: string; fields: Record<string, any>; [field: string]: any } } };
  'genuine:report-send': {
    req: { draft: string; category: string; note?: string; screenshot?: string };
    reply: { report: ReportEntry };
  };
  /** popup → background: the outbox and what became of each report. */
  'genuine:reports': { req: { refresh?: boolean }; reply: { reports: ReportEntry[] } };
  /** brandlink.js → background: the tab's address is the link. */
  'genuine:brand-link': { req: {}; reply: {} };
  /** confirm page → background. */
  'genuine:parse-link': {
    req: { link: string };
    reply: { offer: { site: string; registry: string; fingerprint: string; name: string } };
  };
}

export type MessageType = keyof Messages;
/** A message as sent: its `type` and that message's fields. */
export type Request<K extends MessageType = MessageType> = { [T in K]: { type: T } & Messages[T]['req'] }[K];
/** A reply: the message's fields, or `{error}` when the background refused or failed. */
export type Reply<K extends MessageType> =
  | (Messages[K]['reply'] & { error?: undefined })
  | ({ error: string } & Partial<Messages[K]['reply']>);

/** The message names, as messages.js sets them. */
export interface Names {
  WAKE: 'genuine:wake';
  PLAN: 'genuine:plan';
  SNAPSHOT: 'genuine:snapshot';
  TAB: 'genuine:tab';
  READ: 'genuine:read';
  TRUST: 'genuine:trust';
  TRUST_OPEN: 'genuine:trust-open';
  VERDICT: 'genuine:verdict';
  SOURCES: 'genuine:sources';
  UPDATE: 'genuine:update';
  ADD_SOURCE: 'genuine:add-source';
  REMOVE_SOURCE: 'genuine:remove-source';
  REPORT_OPEN: 'genuine:report-open';
  REPORT_DRAFT: 'genuine:report-draft';
  REPORT_SEND: 'genuine:report-send';
  REPORTS: 'genuine:reports';
  BRAND_LINK: 'genuine:brand-link';
  PARSE_LINK: 'genuine:parse-link';
}

/**
 * A storage area whose values are ours (trusted stores, added registries,
 * tab verdicts, the outbox), written and read only by this extension; their
 * shapes are the code's that keeps each key, not declared here.
 */
type OurStorage<A> = Omit<A, 'get'> & {
  get(keys?: string | string[] | Record<string, unknown> | null): Promise<Record<string, any>>;
};

/** The browser's extension API, with sendMessage typed by the messages above. */
export type Api = Omit<typeof chrome, 'runtime' | 'storage'> & {
  runtime: Omit<typeof chrome.runtime, 'sendMessage'> & {
    sendMessage<K extends MessageType>(message: Request<K>): Promise<Reply<K>>;
  };
  storage: Omit<typeof chrome.storage, 'local' | 'session'> & {
    local: OurStorage<typeof chrome.storage.local>;
    session: OurStorage<typeof chrome.storage.session>;
  };
};

/** What the banner's buttons do (content.js gives them to banner.js). */
export interface BannerActions {
  trust(trust: boolean): Promise<void>;
  confirmTrust(): Promise<unknown>;
  report(): Promise<unknown>;
}

/** What messages.js (and look.js, a brand build's colours) put on `globalThis.Genuine`. */
export interface GenuineGlobal {
  MSG: Readonly<Names>;
  LEVELS: readonly Level[];
  api: Api;
  headlineKey(v: Verdict | null | undefined): string;
  platformName(p: string | null | undefined): string;
  languageReady: Promise<void>;
  t(key: string, ...subs: string[]): string;
  uiLanguage(): string;
  look?: { accent?: string; [field: string]: unknown };
  /**
   * Set by the background just before it injects the reader on the shopper's
   * click (Check this page): content.js then reads that page once and keeps
   * no plan for its host.
   */
  asked?: boolean;
  /** Set by content.js: reads the page again (a second injection calls it instead of starting another reader). */
  reread?: () => void;
  /** Set by banner.js, for content.js. */
  banner?: { show(v: Verdict, actions: BannerActions): void; hide(): void };
}

/**
 * An element a page looks up by id to read or set a form value: any element,
 * with the input properties (value, checked, disabled, src) allowed. Which
 * kind it is, is the page's HTML.
 */
export type Field = HTMLElement & Partial<HTMLInputElement>;

declare global {
  var Genuine: GenuineGlobal;
}
