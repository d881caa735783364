// The shape of the built-in sample archive the extension ships and imports on
// install, so the panel works on first run with no network.
export interface BuiltinSource {
  id: string;
  name: string;
  repo: { owner: string; name: string; branch: string };
  /** The repository's `_config.yml`, verbatim. */
  config: string;
}

export interface BuiltinArchive {
  version: number;
  sources: BuiltinSource[];
  files: { source: string; path: string; text: string }[];
}
