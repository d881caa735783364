// An in-memory stand-in for webextension-polyfill in unit and component
// tests: i18n reads the real English messages (with placeholders), storage
// keeps values in maps, runtime records sent messages.
import en from '../../public/_locales/en/messages.json';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
type Listener = (...args: unknown[]) => unknown;

function event() {
  const listeners = new Set<Listener>();
  return {
    addListener: (l: Listener) => void listeners.add(l),
    removeListener: (l: Listener) => void listeners.delete(l),
    hasListener: (l: Listener) => listeners.has(l),
    listeners,
  };
}

function area() {
  let data: Record<string, unknown> = {};
  return {
    async get(keys: string[] | string | null) {
      if (keys === null) return { ...data };
      const list = typeof keys === 'string' ? [keys] : keys;
      return Object.fromEntries(list.filter((k) => k in data).map((k) => [k, data[k]]));
    },
    async set(items: Record<string, unknown>) {
      data = { ...data, ...items };
    },
    async remove(keys: string | string[]) {
      for (const key of typeof keys === 'string' ? [keys] : keys) delete data[key];
    },
    reset() {
      data = {};
    },
  };
}

export function getMessage(key: string, substitutions: string[] = []): string {
  const entry = (en as Messages)[key];
  if (!entry) return '';
  return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (whole, name: string) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content;
    const index = content ? Number(content.slice(1)) - 1 : -1;
    return index >= 0 ? (substitutions[index] ?? '') : whole;
  });
}

const sync = area();
const local = area();
const session = area();

export const sentMessages: unknown[] = [];
export let respond: (message: unknown) => unknown = () => undefined;
export function setResponder(fn: (message: unknown) => unknown) {
  respond = fn;
}

const browser = {
  i18n: { getMessage, getUILanguage: () => 'en-US' },
  runtime: {
    id: 'archivelens-test',
    getManifest: () => ({ manifest_version: 3, default_locale: 'en' }),
    getURL: (path: string) => `chrome-extension://archivelens-test/${path.replace(/^\//, '')}`,
    onMessage: event(),
    onInstalled: event(),
    onStartup: event(),
    async sendMessage(message: unknown) {
      sentMessages.push(message);
      return respond(message);
    },
    openOptionsPage: async () => {},
  },
  storage: { sync, local, session, onChanged: event() },
  commands: { onCommand: event() },
  tabs: { query: async () => [], sendMessage: async () => undefined, onUpdated: event(), onRemoved: event() },
  action: {
    /** The badge text of each tab, as last set. */
    badges: new Map<number, string>(),
    async setBadgeText({ tabId, text }: { tabId: number; text: string }) {
      this.badges.set(tabId, text);
    },
    setBadgeBackgroundColor: async () => {},
  },
  alarms: { create: async () => {}, clear: async () => true, get: async () => undefined, onAlarm: event() },
  permissions: {
    granted: new Set<string>(),
    async getAll() {
      return { origins: [...this.granted], permissions: [] };
    },
    async contains(p: { origins?: string[] }) {
      return (p.origins ?? []).every((o) => this.granted.has(o));
    },
    async request(p: { origins?: string[] }) {
      for (const o of p.origins ?? []) this.granted.add(o);
      return true;
    },
    async remove(p: { origins?: string[] }) {
      for (const o of p.origins ?? []) this.granted.delete(o);
      return true;
    },
  },
};

export function resetFakeBrowser() {
  sync.reset();
  local.reset();
  session.reset();
  browser.permissions.granted.clear();
  browser.action.badges.clear();
  sentMessages.length = 0;
  respond = () => undefined;
}

export default browser;
export type Runtime = { MessageSender: { id?: string; url?: string; tab?: { id?: number } } };
