/** Events as the Send event forms take them (every host): parsing with errors people can act on, and cURL. */
import { IEventInput } from '../tokens';

/**
 * Parse the Send event form: one event object or an array of them, each with a non-empty `name`
 * (not in the reserved `inngest/` namespace) and an object `data`. Returns the events or an error.
 */
export function parseEventInput(text: string): { events: IEventInput[] } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (reason) {
    return { error: `Not valid JSON: ${(reason as Error).message}` };
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0) {
    return { error: 'Send at least one event' };
  }
  const events: IEventInput[] = [];
  for (const [i, item] of items.entries()) {
    const where = items.length > 1 ? `event ${i + 1}: ` : '';
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { error: `${where}an event is a JSON object` };
    }
    const { name, data } = item as { name?: unknown; data?: unknown };
    if (typeof name !== 'string' || name.trim() === '') {
      return { error: `${where}"name" must be a non-empty string` };
    }
    if (name.startsWith('inngest/')) {
      return { error: `${where}"inngest/" names are reserved for the server` };
    }
    if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
      return { error: `${where}"data" must be a JSON object` };
    }
    events.push({ ...(item as object), name, data: (data as Record<string, unknown>) ?? {} } as IEventInput);
  }
  return { events };
}

/** The `curl` command that sends `events` to an Event API URL (the Send event form's "Copy as cURL"). */
export function curlFor(eventApiUrl: string, events: IEventInput[]): string {
  const body = JSON.stringify(events.length === 1 ? events[0] : events);
  return `curl -X POST '${eventApiUrl}' -H 'Content-Type: application/json' -d '${body.replace(/'/g, "'\\''")}'`;
}
