// The files of a source that could not be read, with path and reason; the
// list can be copied or downloaded for the archive's maintainers.
import { useState } from 'preact/hooks';
import { ask } from '../shared/client';
import { t, type MessageKey } from '../shared/i18n';
import type { FailureView, SourceView } from '../shared/messages';

const REASONS: Record<string, MessageKey> = {
  empty: 'failureEmpty',
  'not-utf8': 'failureNotUtf8',
  'too-large': 'failureTooLarge',
  'no-front-matter': 'failureNoFrontMatter',
  'unterminated-front-matter': 'failureUnterminated',
  'missing-title': 'failureMissingTitle',
  'missing-source': 'failureMissingSource',
  'invalid-date': 'failureInvalidDate',
};

/** Why a file could not be read, in the user's language (the English detail stays in the copied list for maintainers). */
export function describeFailure(f: FailureView): string {
  return Object.hasOwn(REASONS, f.reason) ? t(REASONS[f.reason]!) : f.message;
}

export function failuresAsText(failures: FailureView[]): string {
  return failures.map((f) => `${f.path}\t${f.reason}\t${f.message}`).join('\n') + '\n';
}

export function Failures({ source }: { source: SourceView }) {
  const [failures, setFailures] = useState<FailureView[] | null>(null);
  const [copied, setCopied] = useState(false);
  if (source.failureCount === 0) return null;
  const load = async (open: boolean) => {
    if (open && !failures) setFailures(await ask('sourceFailures', { sourceId: source.id }));
  };
  const copy = async () => {
    await navigator.clipboard.writeText(failuresAsText(failures ?? []));
    setCopied(true);
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([failuresAsText(failures ?? [])], { type: 'text/tab-separated-values' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${source.name.replace(/[^\w.-]+/g, '_')}-unreadable-files.tsv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <details class="failures" onToggle={(e) => void load((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{t('optionsShowFailures')} ({source.failureCount})</summary>
      {failures && (
        <>
          <p class="failure-actions">
            <button type="button" onClick={() => void copy()}>{copied ? t('optionsCopied') : t('optionsCopyFailures')}</button>
            <button type="button" onClick={download}>{t('optionsDownloadFailures')}</button>
          </p>
          <ul class="failure-list">
            {failures.map((f) => (
              <li key={f.path}>
                <code>{f.path}</code>: <span title={f.message}>{describeFailure(f)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}
