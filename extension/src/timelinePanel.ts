/** The main-area Run timeline panel: the host-agnostic timeline, refreshed when the server says the run changed,
 * and under it the run's realtime stream, live (`GET /lab/runs/{id}/realtime`) once the run publishes. */
import { Widget } from '@lumino/widgets';

import { h } from './components/dom';
import { IRealtimeView, addMessage, drawRealtime, emptyRealtime, followRealtime } from './components/realtime';
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
    this._realtime = emptyRealtime(runId);
    this._timelineNode.append(h('div', { class: 'inngest-lab-empty' }, 'Loading the timeline…'));
    this.node.append(this._timelineNode, this._streamNode);
    model.runChanged.connect(this._onRunChanged, this);
    // Opened before the run is read: what it publishes while the panel loads is shown too.
    void followRealtime(
      (onMessage, signal, onOpen) => model.api.realtime(runId, onMessage, signal, onOpen),
      this._following.signal,
      message => {
        this._realtime = addMessage(this._realtime, message);
        drawRealtime(this._streamNode, this._realtime);
      },
      connected => (this.node.dataset.realtime = connected ? 'connected' : 'reconnecting')
    );
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
      if (this._timeline.ended_at_ms !== null && !this._realtime.done) {
        this._realtime = { ...this._realtime, done: true };
        drawRealtime(this._streamNode, this._realtime);
      }
    } catch (reason) {
      this._timelineNode.replaceChildren(h('div', { class: 'inngest-lab-error' }, `Could not load run ${this.runId}: ${reason}`));
    }
  }

  dispose(): void {
    this.model.runChanged.disconnect(this._onRunChanged, this);
    this._following.abort();
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
    this._timelineNode.replaceChildren(
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
  private _timelineNode = h('div', {});
  private _streamNode = h('div', { class: 'inngest-lab-realtime-host', hidden: true });
  private _realtime: IRealtimeView;
  private _following = new AbortController();
  private _selected: string | null = null;
  private _refreshing = false;
}
