/** The left sidebar: Functions, Runs (live) and Events, drawn by the host-agnostic components. */
import { Widget } from '@lumino/widgets';

import { h } from './components/dom';
import { icon } from './components/icons';
import { renderEvents, renderFunctions, renderRuns, section, whereAreMyRuns } from './components/tables';
import { InngestLabModel } from './model';

export class InngestSidebar extends Widget {
  constructor(
    private model: InngestLabModel,
    private actions: { openRun: (runId: string) => void; sendEvent: () => void; refresh: () => void }
  ) {
    super();
    this.id = 'inngest-lab-sidebar';
    this.addClass('inngest-lab-sidebar');
    this.addClass('inngest-lab-root');
    this.title.caption = 'Inngest Lab';
    model.changed.connect(this._render, this);
    this._render();
  }

  dispose(): void {
    this.model.changed.disconnect(this._render, this);
    super.dispose();
  }

  private _render(): void {
    const m = this.model;
    const send = h('button', { class: 'inngest-lab-button inngest-lab-send', type: 'button' }, 'Send event');
    send.addEventListener('click', () => this.actions.sendEvent());
    const refresh = h('button', { class: 'inngest-lab-button', type: 'button', title: 'Refresh', 'aria-label': 'Refresh' }, icon('refresh'));
    refresh.addEventListener('click', () => this.actions.refresh());
    const dot = h('span', {
      class: `inngest-lab-live inngest-lab-live-${m.connection}`,
      title: m.connection === 'live' ? 'Live: updates are pushed by the server' : 'Polling'
    });
    const body = h(
      'div',
      { class: 'inngest-lab-sidebar-body' },
      h('div', { class: 'inngest-lab-toolbar' }, h('span', { class: 'inngest-lab-brand' }, 'Inngest Lab'), send, refresh),
      m.error ? h('div', { class: 'inngest-lab-error' }, m.error) : null,
      section({ title: 'Functions', count: m.functions.length }, renderFunctions(m.functions, { empty: whereAreMyRuns() })),
      section(
        { title: 'Runs', count: m.runs.length, extra: dot },
        renderRuns(m.runs, { onOpen: runId => this.actions.openRun(runId) })
      ),
      section(
        { title: 'Events', count: m.events.filter(e => !e.name.startsWith('inngest/')).length },
        renderEvents(m.events)
      )
    );
    // Keep the open/closed state of the sections across redraws.
    const open = Array.from(this.node.querySelectorAll('details')).map(d => (d as HTMLDetailsElement).open);
    this.node.replaceChildren(body);
    this.node.querySelectorAll('details').forEach((d, i) => {
      if (i < open.length) {
        (d as HTMLDetailsElement).open = open[i];
      }
    });
  }
}
