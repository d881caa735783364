import { describe, expect, it } from 'vitest';
import { nextTask } from './next-task';

describe('nextTask', () => {
  it('resolves in a later task, once the microtasks already queued have run', async () => {
    const order: string[] = [];
    const later = nextTask().then(() => order.push('task'));
    void (async () => {
      for (let i = 0; i < 50; i++) await Promise.resolve();
      order.push('microtasks');
    })();
    await later;
    expect(order).toEqual(['microtasks', 'task']);
  });

  it('lets a thread take many turns in a row', async () => {
    let turns = 0;
    for (let i = 0; i < 200; i++) {
      await nextTask();
      turns++;
    }
    expect(turns).toBe(200);
  });
});
