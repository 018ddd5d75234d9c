/**
 * The messages context processor (Django's `django.contrib.messages.context_processors.messages`):
 * list it in `TEMPLATES[0].OPTIONS.contextProcessors` and every template rendered with a
 * request gets `messages` and `DEFAULT_MESSAGE_LEVELS`.
 *
 * @module
 */
import type { HttpRequest } from '../../http/request.ts';
import { getMessages } from './api.ts';
import { DEFAULT_LEVELS } from './constants.ts';
import type { Message } from './message.ts';
import type { BaseStorage } from './storage/base.ts';

/**
 * `{ messages, DEFAULT_MESSAGE_LEVELS }` for templates. Looping over `messages` marks them read.
 *
 * @example
 * // TEMPLATES: [{ DIRS: ['templates'], OPTIONS: { contextProcessors: [messagesContextProcessor] } }]
 * // {% if messages.length %}<ul>{% for message in messages %}
 * //   <li class="{{ message.tags }}">{{ message }}</li>
 * // {% endfor %}</ul>{% endif %}
 */
export function messagesContextProcessor(request: HttpRequest): {
  messages: BaseStorage | Message[];
  DEFAULT_MESSAGE_LEVELS: typeof DEFAULT_LEVELS;
} {
  return { messages: getMessages(request), DEFAULT_MESSAGE_LEVELS: DEFAULT_LEVELS };
}
