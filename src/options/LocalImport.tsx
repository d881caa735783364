// Import an archive the user has as files: pick or drop a .zip, a .tar.gz
// or a cloned folder. The import runs in this page with the same staging as
// sync; closing the page cancels it and leaves the archive as it was.
import { useRef, useState } from 'preact/hooks';
import { ask } from '../shared/client';
import { describeError, formatDate, formatNumber, postCount, t, tCount } from '../shared/i18n';
import type { ArchiveStats } from '../shared/messages';
import { openArchive, type SourceRecord } from '../db/schema';
import { importArchive, sourceOfFile, type ArchiveInput } from '../sync/file-import';
import type { SyncProgress } from '../sync/progress';
import { droppedInput, folderInput } from './dropped-files';
import { SyncProgressBar } from './SyncProgressBar';

const db = openArchive();

export function LocalImport({ onImported }: { onImported: (stats: ArchiveStats) => void }) {
  const [progress, setProgress] = useState<{ name: string; value: SyncProgress } | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [dragging, setDragging] = useState(false);
  // A file named like one imported before: the reader says whether it replaces that archive.
  const [sameName, setSameName] = useState<{ input: ArchiveInput; existing: SourceRecord } | null>(null);
  const controller = useRef<AbortController | null>(null);

  const choose = async (input: ArchiveInput | null) => {
    if (!input || controller.current) return;
    const existing = await sourceOfFile(db, input.name);
    if (existing) setSameName({ input, existing });
    else await start(input);
  };

  const start = async (input: ArchiveInput | null, sameNameChoice?: 'replace' | 'keep-both') => {
    setSameName(null);
    if (!input || controller.current) return;
    const abort = new AbortController();
    controller.current = abort;
    setResult(null);
    setProgress({ name: input.name, value: { sourceId: '', phase: 'reading', done: 0, total: 0, bytes: 0, requests: 0, startedAt: Date.now(), etaMs: null, message: '' } });
    try {
      const { counts, source } = await importArchive(db, input, {
        signal: abort.signal,
        report: (value) => setProgress({ name: input.name, value }),
        ...(sameNameChoice ? { sameName: sameNameChoice } : {}),
      });
      const done = t('importDone', source.name, formatNumber(counts.added), formatNumber(counts.changed), formatNumber(counts.removed));
      setResult({ ok: true, message: source.failureCount ? `${done} ${tCount('importUnreadable', source.failureCount)}` : done });
      onImported(await ask('archiveChanged', {}));
    } catch (e) {
      setResult({ ok: false, message: describeError(e) });
    } finally {
      controller.current = null;
      setProgress(null);
    }
  };

  return (
    <div
      class={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (e.dataTransfer) void droppedInput(e.dataTransfer).then(choose);
      }}
    >
      <p class="al-muted">{t('optionsImportFileExplain')}</p>
      <div class="import-buttons">
        <label class="file-button">
          {t('optionsChooseFile')}
          <input type="file" accept=".zip,.tar.gz,.tgz,.tar,application/zip,application/gzip" disabled={progress !== null}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void choose({ kind: 'file', name: file.name, file });
            }} />
        </label>
        <label class="file-button">
          {t('optionsChooseFolder')}
          <input type="file" {...{ webkitdirectory: '' }} disabled={progress !== null}
            onChange={(e) => {
              const input = e.currentTarget.files ? folderInput(e.currentTarget.files) : null;
              e.currentTarget.value = '';
              void choose(input);
            }} />
        </label>
        {progress && <button type="button" onClick={() => controller.current?.abort()}>{t('optionsCancelSync')}</button>}
      </div>
      <p class="al-muted drop-hint" aria-hidden="true">{t('optionsDropHere')}</p>
      {sameName && (
        <div class="same-name" role="alertdialog" aria-labelledby="same-name-question">
          <p id="same-name-question">{t('importSameName', sameName.input.name, postCount(sameName.existing.postCount), formatDate(new Date(sameName.existing.importedAt).toISOString()))}</p>
          <div class="import-buttons">
            <button type="button" class="same-name-replace" onClick={() => void start(sameName.input, 'replace')}>{t('importReplace')}</button>
            <button type="button" class="same-name-keep" onClick={() => void start(sameName.input, 'keep-both')}>{t('importKeepBoth')}</button>
            <button type="button" onClick={() => setSameName(null)}>{t('importCancel')}</button>
          </div>
        </div>
      )}
      {progress && <SyncProgressBar progress={progress.value} name={progress.name} />}
      {result && <p role={result.ok ? 'status' : 'alert'} class={result.ok ? 'import-ok' : 'options-error'}>{result.message}</p>}
    </div>
  );
}
