// Links from archive data: only http(s) becomes a link; anything else stays text.

/** Only http(s) links are rendered as links; anything else stays text. */
export function safeHref(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
