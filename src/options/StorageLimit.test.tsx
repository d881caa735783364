// @vitest-environment happy-dom
// The storage ArchiveLens takes and the reader's limit, on the options page.
import { act } from 'preact/test-utils';
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { preactRoot } from '../../test/support/preact-root';
import { loadSettings } from '../shared/settings';
import { StorageLimit } from './StorageLimit';

const mounted = preactRoot();
const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));

afterEach(() => vi.unstubAllGlobals());

describe('the storage limit', () => {
  it("says what ArchiveLens takes, and keeps a limit the reader sets within bounds", async () => {
    render(<StorageLimit used={85_300_000} />, mounted.current);
    await vi.waitFor(() => expect(mounted.current.textContent).toContain("ArchiveLens uses 85 MB of this computer's storage."));
    const input = mounted.current.querySelector<HTMLInputElement>('#storage-limit')!;
    expect(input.value).toBe('4');
    input.value = '2.5';
    act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
    await settle();
    expect((await loadSettings()).storageLimitGb).toBe(2.5);
    // Nonsense is refused and the field shows the limit in force.
    input.value = '-3';
    act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
    await settle();
    expect(input.value).toBe('2.5');
    expect((await loadSettings()).storageLimitGb).toBe(2.5);
  });
});
