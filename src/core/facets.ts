// What the library counts of an archive: posts by channel, month and tag,
// each list as [name, posts], the largest first (months newest first).
export interface Facets {
  channels: [name: string, posts: number][];
  months: [month: string, posts: number][];
  tags: [tag: string, posts: number][];
}
