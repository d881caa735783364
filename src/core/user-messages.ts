// What ArchiveLens tells the user when something goes wrong, as a code and
// its arguments: the code travels (in errors, in stored sync results, across
// the message protocol) and each interface words it in the user's language
// from `_locales` (`err_<code>`, `$1`…). The English here is the wording for
// the command-line tool and logs, and must equal `_locales/en` (tested).

export const USER_MESSAGES = {
  offlineHost: 'Could not reach $1. Check the network connection.',
  downloadBroke: 'The download broke off before it was complete.',
  downloadBrokeFrom: 'The download from $1 broke off before it was complete.',
  cancelled: 'The sync was cancelled. The archive is as it was before.',
  unexpectedAnswer: 'Unexpected answer $1.',
  archiveTooLarge: '$1 holds more than $2 GiB once unpacked: that is not an archive ArchiveLens can read.',
  storageFull: 'There is no room left to store the archive: the disk is full or the browser refuses more space. Remove a source you no longer need or free disk space, then sync again. The archive is as it was before.',
  storageLimit: 'The sync stopped before ArchiveLens used more than $1 GB of storage, the limit set on the options page. Raise the limit or remove a source you no longer need, then sync again. The archive is as it was before.',
  githubRateLimited: "GitHub's rate limit is used up.",
  githubRateLimitedUntil: "GitHub's rate limit is used up until $1.",
  githubRateLimitedHint: "GitHub's rate limit is used up. Add a personal access token to this source for 5,000 requests an hour instead of 60.",
  githubRateLimitedUntilHint: "GitHub's rate limit is used up until $1. Add a personal access token to this source for 5,000 requests an hour instead of 60.",
  githubTokenRefused: 'GitHub refused the access token. Check or remove the token of this source.',
  githubNotFound: 'GitHub has no public repository or branch $1. If it is private, add a token.',
  githubNotFoundWithToken: 'GitHub has no repository or branch $1 that this token can see.',
  githubEmpty: 'The repository $1 is empty.',
  githubBlocked: 'GitHub blocks $1 for legal reasons.',
  githubForbidden: 'GitHub refused access to $1.',
  githubForbiddenSays: 'GitHub refused access to $1: $2.',
  githubServer: 'GitHub answered with an error ($1). Try again later.',
  githubOther: 'GitHub answered $1.',
  githubOtherSays: 'GitHub answered $1: $2.',
  githubNoCommit: 'GitHub did not answer with a commit for $1.',
  githubBadListing: "GitHub's list of the repository's files could not be read.",
  syncEngineStopped: 'The part of ArchiveLens that reads posts stopped during the sync. The sync goes on from where it was.',
  githubNotATarball: "GitHub's download of $1 is not a tar archive.",
  githubNotAnArchive: '$1 has no posts in $2: it does not look like an archive.',
  bundleNotFound: 'There is no bundle at this address on $1 ($2).',
  bundleForbidden: '$1 refused to give the bundle ($2).',
  bundleRateLimited: '$1 asks to wait before downloading again (429).',
  bundleServer: '$1 answered with an error ($2). Try again later.',
  bundleOther: '$1 answered $2.',
  bundleNotABundle: '$1 is not an ArchiveLens bundle.',
  bundleUnreadable: '$1 could not be read: $2.',
  bundleNotAllowed: 'ArchiveLens may not read from $1 yet: add the bundle again and allow it.',
  publishedAddress: 'Enter the address of the published index or of its site, starting with https://',
  publishedHttps: 'An index address starts with https:// (plain http only for this computer).',
  publishedNotFound: 'There is no ArchiveLens index at $1, nor in its archivelens/ folder.',
  publishedNotAnIndex: '$1 is not an index ArchiveLens can read: $2.',
  fileNotAnArchive: '$1 is not a .zip, .tar.gz or .tar archive.',
  fileNotAnArchiveNoPosts: '$1 holds no posts in _posts/ or archived/: it does not look like an archive.',
  fileUnreadable: '$1 could not be read: $2.',
  cannotSyncHere: '$1 cannot be synced from the background.',
  cannotSync: 'That source cannot be synced.',
  notAVideoId: 'That is not a YouTube video id.',
  postGone: 'That post is no longer in the archive: it may have been synced again. Open the video again to see it.',
  notARepository: 'Enter a repository as owner/name (for example NodeBE4/teahouse) or its GitHub address.',
  foldersOutside: 'Folders must be inside the repository.',
  bundleAddress: 'Enter the full address of the bundle, starting with https://',
  bundleHttps: 'A bundle address starts with https:// (plain http only for this computer).',
  notForPages: '$1 is not available to web pages.',
  noAnswer: 'The extension did not answer. Reload the page to try again.',
  somethingFailed: 'Something went wrong: $1',
} as const;

export type MessageCode = keyof typeof USER_MESSAGES;

export interface UserMessage {
  code: MessageCode;
  args: string[];
}

export function userMessage(code: MessageCode, ...args: (string | number)[]): UserMessage {
  return { code, args: args.map(String) };
}

export function isUserMessage(value: unknown): value is UserMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { code, args } = value as Partial<UserMessage>;
  return typeof code === 'string' && Object.hasOwn(USER_MESSAGES, code) && Array.isArray(args) && args.every((a) => typeof a === 'string');
}

/** The English wording (command-line tool, logs, and the fallback when a translation is missing). */
export function inEnglish(message: UserMessage): string {
  return USER_MESSAGES[message.code].replace(/\$(\d)/g, (whole, n: string) => message.args[Number(n) - 1] ?? whole);
}

/** An error whose explanation is a user message. */
export class UserFacingError extends Error {
  constructor(readonly userMessage: UserMessage) {
    super(inEnglish(userMessage));
    this.name = 'UserFacingError';
  }
}
