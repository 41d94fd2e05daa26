/** The Send event dialog: a JSON editor that validates before sending, with "Copy as cURL". */
import { Clipboard, Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { h } from './components/dom';
import { curlFor, InngestLabModel, parseEventInput } from './model';

const TEMPLATE = '{\n  "name": "demo/hello",\n  "data": {}\n}';

class SendEventBody extends Widget {
  constructor(initial: string, private curlUrl: string) {
    super();
    this.addClass('inngest-lab-send-form');
    this.textarea = h('textarea', { class: 'inngest-lab-json', rows: 10, cols: 50, spellcheck: false, 'aria-label': 'Event JSON' });
    this.textarea.value = initial;
    this.message = h('div', { class: 'inngest-lab-form-message' });
    const curl = h('button', { class: 'inngest-lab-button', type: 'button' }, 'Copy as cURL');
    curl.addEventListener('click', () => {
      const parsed = parseEventInput(this.textarea.value);
      if ('error' in parsed) {
        this.say(parsed.error);
      } else {
        Clipboard.copyToSystem(curlFor(this.curlUrl, parsed.events));
        this.say('Copied.', false);
      }
    });
    this.textarea.addEventListener('input', () => {
      const parsed = parseEventInput(this.textarea.value);
      this.say('error' in parsed ? parsed.error : '', false);
    });
    this.node.append(
      h('div', { class: 'inngest-lab-muted' }, 'One event or an array of events: {"name": …, "data": {…}}'),
      this.textarea,
      this.message,
      curl
    );
  }

  say(text: string, isError = true): void {
    this.message.textContent = text;
    this.message.classList.toggle('inngest-lab-form-error', isError && text !== '');
  }

  getValue(): string {
    return this.textarea.value;
  }

  readonly textarea: HTMLTextAreaElement;
  readonly message: HTMLElement;
}

/** Ask for an event, validate, send; loops on invalid input so nothing typed is lost. */
export async function sendEventDialog(model: InngestLabModel, curlUrl: string, initial = TEMPLATE): Promise<string[] | null> {
  let text = initial;
  for (;;) {
    const body = new SendEventBody(text, curlUrl);
    const result = await showDialog({
      title: 'Send event',
      body,
      buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Send' })],
      focusNodeSelector: 'textarea'
    });
    if (!result.button.accept) {
      return null;
    }
    text = result.value ?? body.getValue();
    const parsed = parseEventInput(text);
    if ('error' in parsed) {
      Notification.error(`Not sent: ${parsed.error}`, { autoClose: 4000 });
      continue;
    }
    try {
      const ids = await model.send(parsed.events);
      Notification.success(`Sent ${parsed.events.map(e => e.name).join(', ')} (${ids.length === 1 ? ids[0] : `${ids.length} events`})`, {
        autoClose: 3000
      });
      return ids;
    } catch (reason) {
      Notification.error(`Not sent: ${reason}`, { autoClose: 5000 });
      return null;
    }
  }
}
