// Sending a typed request to the background from a content script or page.
import browser from 'webextension-polyfill';
import type { Envelope, Request, RequestMap, RequestType, Response } from './messages';

export class BackgroundError extends Error {}

export async function ask<T extends RequestType>(
  type: T,
  request: RequestMap[T]['request'],
): Promise<Response<T>> {
  const message = { ...request, type } as Request<T>;
  const envelope = (await browser.runtime.sendMessage(message)) as Envelope<Response<T>> | undefined;
  if (!envelope) throw new BackgroundError('The extension did not answer. Reload the page to try again.');
  if (!envelope.ok) throw new BackgroundError(envelope.error);
  return envelope.value;
}
