// Sending a typed request to the background from a content script or page.
import browser from 'webextension-polyfill';
import { inEnglish, isUserMessage, userMessage, type UserMessage } from '../core/user-messages';
import type { Envelope, Request, RequestMap, RequestType, Response } from './messages';

/** A refusal or failure from the background; `userMessage` words it in the user's language. */
export class BackgroundError extends Error {
  constructor(message: string, readonly userMessage?: UserMessage) {
    super(message);
  }
}

/**
 * Waits before each retry of a request that found no background. Firefox's
 * event page and Chrome's service worker are stopped when idle and started
 * again by the next message, but a message that arrives while the old one is
 * being torn down finds no listener. The request was never delivered, so
 * sending it again is safe; a second's worth of tries covers a restart.
 */
export const RETRY_DELAYS_MS = [50, 250, 700];

/** The error both browsers give when no listener received the message. */
const isUndelivered = (error: unknown): boolean =>
  error instanceof Error && /Receiving end does not exist|Could not establish connection/i.test(error.message);

async function send(message: unknown): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await browser.runtime.sendMessage(message);
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined || !isUndelivered(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export async function ask<T extends RequestType>(
  type: T,
  request: RequestMap[T]['request'],
): Promise<Response<T>> {
  const message = { ...request, type } as Request<T>;
  const envelope = (await send(message)) as Envelope<Response<T>> | undefined;
  if (!envelope) throw new BackgroundError(inEnglish(userMessage('noAnswer')), userMessage('noAnswer'));
  if (!envelope.ok) throw new BackgroundError(envelope.error, isUserMessage(envelope.message) ? envelope.message : undefined);
  return envelope.value;
}
