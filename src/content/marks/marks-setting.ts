// Marks on thumbnails follow their setting live; the set of archived ids is
// checked for news (a sync in another tab) at most once a minute, on navigation.
import browser from 'webextension-polyfill';
import { ThumbnailMarks } from './thumbnail-marks';

const REFRESH_MS = 60_000;

export class MarksSetting {
  private marks: { marker: ThumbnailMarks; controller: AbortController; refreshedAt: number } | null = null;

  constructor(private readonly lifetime: AbortSignal) {
    const onChanged = (changes: Record<string, browser.Storage.StorageChange>) => {
      if ('markThumbnails' in changes) this.set(changes.markThumbnails!.newValue !== false);
    };
    browser.storage.onChanged.addListener(onChanged);
    lifetime.addEventListener('abort', () => browser.storage.onChanged.removeListener(onChanged), { once: true });
  }

  set(on: boolean): void {
    if (on === Boolean(this.marks)) return;
    if (!on) {
      this.marks!.controller.abort();
      this.marks = null;
      return;
    }
    const controller = new AbortController();
    this.lifetime.addEventListener('abort', () => controller.abort(), { once: true });
    this.marks = { marker: new ThumbnailMarks(), controller, refreshedAt: Date.now() };
    void this.marks.marker.start(controller.signal);
  }

  /** After a navigation: take a newer set if the archive changed. */
  navigated(): void {
    if (!this.marks || Date.now() - this.marks.refreshedAt < REFRESH_MS) return;
    this.marks.refreshedAt = Date.now();
    void this.marks.marker.refresh();
  }
}
