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

export async function ask<T extends RequestType>(
  type: T,
  request: RequestMap[T]['request'],
): Promise<Response<T>> {
  const message = { ...request, type } as Request<T>;
  const envelope = (await browser.runtime.sendMessage(message)) as Envelope<Response<T>> | undefined;
  if (!envelope) throw new BackgroundError(inEnglish(userMessage('noAnswer')), userMessage('noAnswer'));
  if (!envelope.ok) throw new BackgroundError(envelope.error, isUserMessage(envelope.message) ? envelope.message : undefined);
  return envelope.value;
}
