/** The main-area Run timeline panel: the host-agnostic timeline, refreshed when the server says the run changed. */
import { Widget } from '@lumino/widgets';

import { h } from './components/dom';
import { renderTimeline } from './components/timeline';
import { InngestLabModel } from './model';
import { ITimeline } from './tokens';

export class RunTimelinePanel extends Widget {
  constructor(
    private model: InngestLabModel,
    readonly runId: string
  ) {
    super();
    this.addClass('inngest-lab-timeline-panel');
    this.addClass('inngest-lab-root');
    this.id = `inngest-lab-timeline-${runId}`;
    this.title.label = `Run ${runId.slice(-8)}`;
    this.title.caption = `Run timeline ${runId}`;
    this.title.closable = true;
    this.node.append(h('div', { class: 'inngest-lab-empty' }, 'Loading the timeline…'));
    model.runChanged.connect(this._onRunChanged, this);
    void this.refresh();
  }

  /** The last timeline drawn (null until loaded). */
  get timeline(): ITimeline | null {
    return this._timeline;
  }

  async refresh(): Promise<void> {
    try {
      this._timeline = await this.model.api.trace(this.runId);
      this.title.label = `${this._timeline.function_id} · ${this._timeline.status}`;
      this._draw();
    } catch (reason) {
      this.node.replaceChildren(h('div', { class: 'inngest-lab-error' }, `Could not load run ${this.runId}: ${reason}`));
    }
  }

  dispose(): void {
    this.model.runChanged.disconnect(this._onRunChanged, this);
    super.dispose();
  }

  private _onRunChanged(_: InngestLabModel, runId: string): void {
    if (runId === this.runId && !this._refreshing) {
      // Coalesce bursts of notices into one read.
      this._refreshing = true;
      setTimeout(() => {
        this._refreshing = false;
        void this.refresh();
      }, 100);
    }
  }

  private _draw(): void {
    if (!this._timeline) {
      return;
    }
    this.node.replaceChildren(
      renderTimeline(this._timeline, {
        selected: this._selected,
        onSelect: id => {
          this._selected = id;
          this._draw();
        },
        onCancel: () => void this.model.cancel(this.runId)
      })
    );
  }

  private _timeline: ITimeline | null = null;
  private _selected: string | null = null;
  private _refreshing = false;
}
