/**
 * A JSON editor (CodeMirror 6, bundled: no CDN) with syntax highlighting, bracket matching, history and a
 * linter that marks where the JSON breaks. `validate` adds the caller's own check (an event's shape).
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';

import { h } from '../components/dom';

export interface IJsonEditor {
  readonly el: HTMLElement;
  readonly view: EditorView;
  value(): string;
  setValue(text: string): void;
  focus(): void;
}

export function jsonEditor(initial: string, options: { label: string; onChange?: (text: string) => void }): IJsonEditor {
  const el = h('div', { class: 'inngest-lab-editor', 'data-testid': 'json-editor' });
  const parseLint = jsonParseLinter();
  const view = new EditorView({
    parent: el,
    state: EditorState.create({
      doc: initial,
      extensions: [
        lineNumbers(),
        history(),
        bracketMatching(),
        json(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        lintGutter(),
        linter(v => parseLint(v) as Diagnostic[], { delay: 200 }),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-label': options.label }),
        EditorView.updateListener.of(update => {
          if (update.docChanged) {
            options.onChange?.(update.state.doc.toString());
          }
        })
      ]
    })
  });
  return {
    el,
    view,
    value: () => view.state.doc.toString(),
    setValue: text => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus()
  };
}
