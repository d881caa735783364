// The pages of the library's list that are loaded: those around what is on
// screen. Scrolling through 120,000 posts loads thousands of pages; keeping
// every one held them all in the page's memory for as long as it was open.
export class PageCache<T> {
  private readonly pages = new Map<number, T[] | 'loading'>();

  constructor(
    /** Pages kept on each side of those on screen. */
    private readonly around = 10,
  ) {}

  get(page: number): T[] | 'loading' | undefined {
    return this.pages.get(page);
  }

  has(page: number): boolean {
    return this.pages.has(page);
  }

  set(page: number, value: T[] | 'loading'): void {
    this.pages.set(page, value);
  }

  /** Lets go of the pages far from `first`–`last` (on screen): they are loaded again when scrolled back to. */
  keepNear(first: number, last: number): void {
    for (const page of this.pages.keys()) {
      if (page < first - this.around || page > last + this.around) this.pages.delete(page);
    }
  }

  get size(): number {
    return this.pages.size;
  }
}
