/**
 * Modals: a dialog over the page with a title, a body and buttons; Escape or the backdrop closes it. The JSON
 * modal (Send event, Invoke, Rerun from a step) holds a CodeMirror editor and validates before its action runs:
 * the action's error is shown in the dialog, which stays open so nothing typed is lost.
 */
import { h } from '../components/dom';
import { messageOf } from './context';
import type { IJsonEditor } from './editor';

export interface IModal {
  readonly el: HTMLElement;
  close(): void;
}

export function openModal(title: string, body: HTMLElement, buttons: HTMLElement[]): IModal {
  const dialog = h(
    'div',
    { class: 'inngest-lab-modal', role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
    h('div', { class: 'inngest-lab-modal-title' }, title),
    body,
    h('div', { class: 'inngest-lab-modal-buttons' }, ...buttons)
  );
  const backdrop = h('div', { class: 'inngest-lab-backdrop' }, dialog);
  const close = () => {
    backdrop.remove();
    document.removeEventListener('keydown', onKey);
  };
  const onKey = (ev: KeyboardEvent) => {
    if (ev.key === 'Escape') {
      close();
    }
  };
  backdrop.addEventListener('mousedown', ev => {
    if (ev.target === backdrop) {
      close();
    }
  });
  document.addEventListener('keydown', onKey);
  (document.querySelector('.inngest-lab-root') ?? document.body).append(backdrop);
  return { el: dialog, close };
}

export function button(label: string, onClick: () => void, cls = ''): HTMLButtonElement {
  const b = h('button', { class: `inngest-lab-button ${cls}`.trim(), type: 'button' }, label);
  b.addEventListener('click', onClick);
  return b;
}

export interface IJsonModalOptions<T> {
  title: string;
  hint: string;
  initial: string;
  action: string;
  /** Parse and check the text: the value to act on, or an error to show. */
  validate(text: string): { value: T } | { error: string };
  /** Do it; a thrown error is shown in the dialog. */
  run(value: T): Promise<void>;
  /** More buttons (Copy as cURL); each gets the current text. */
  extra?: { label: string; onClick: (text: string, say: (message: string, isError?: boolean) => void) => void }[];
}

/** The editor module, loaded on first use (CodeMirror is most of the bundle and only modals need it). */
let editorModule: Promise<typeof import('./editor')> | null = null;

export async function openJsonModal<T>(options: IJsonModalOptions<T>): Promise<IModal> {
  editorModule ??= import('./editor');
  const { jsonEditor } = await editorModule;
  const message = h('div', { class: 'inngest-lab-form-message', role: 'status', 'data-testid': 'modal-message' });
  const say = (text: string, isError = true) => {
    message.textContent = text;
    message.classList.toggle('inngest-lab-form-error', isError && text !== '');
  };
  const check = (text: string) => {
    const result = options.validate(text);
    say('error' in result ? result.error : '');
    return result;
  };
  const editor: IJsonEditor = jsonEditor(options.initial, { label: options.title, onChange: check });
  const go = button(
    options.action,
    async () => {
      const result = check(editor.value());
      if ('error' in result) {
        return;
      }
      go.disabled = true;
      try {
        await options.run(result.value);
        modal.close();
      } catch (error) {
        say(messageOf(error));
      } finally {
        go.disabled = false;
      }
    },
    'inngest-lab-primary'
  );
  const extras = (options.extra ?? []).map(x => button(x.label, () => x.onClick(editor.value(), say)));
  const body = h('div', { class: 'inngest-lab-send-form' }, h('div', { class: 'inngest-lab-muted' }, options.hint), editor.el, message);
  const modal = openModal(options.title, body, [...extras, button('Cancel', () => modal.close()), go]);
  editor.focus();
  return modal;
}

/** Put `text` on the clipboard (the async API where the page may use it, else a hidden textarea). */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // permission refused: fall back below
    }
  }
  const area = h('textarea', { style: 'position:fixed;opacity:0' });
  area.value = text;
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}
