/**
 * The one ES module every inngest-lab notebook widget loads (anywidget `_esm`): `view` picks what to draw.
 * Built by esbuild (scripts/build-ui.mjs) into inngest_lab/ui_build/widgets.js, from the same components as
 * the JupyterLab panel and the dashboard; the widget's root takes the shared theme variables (JupyterLab's
 * inside Lab).
 */
import '../../style/base.css';
import '../../style/widget.css';

import { h } from '../components/dom';
import { IModel, bindComposer, bindFunctions, bindRuns, bindTimeline } from './views';

const VIEWS: Record<string, (model: IModel, el: HTMLElement) => () => void> = {
  timeline: (model, el) => bindTimeline(model, el, 'data', 'realtime'),
  runs: bindRuns,
  functions: bindFunctions,
  composer: bindComposer
};

/** The Python side's error line (`notice` trait). */
function notice(model: IModel, el: HTMLElement): () => void {
  const line = h('div', { class: 'inngest-lab-error', 'data-testid': 'inngest-notice' });
  const draw = () => {
    const text = String(model.get('notice') || '');
    line.textContent = text;
    line.hidden = text === '';
  };
  draw();
  model.on('change:notice', draw);
  el.append(line);
  return () => model.off('change:notice', draw);
}

export default {
  render({ model, el }: { model: IModel; el: HTMLElement }): () => void {
    el.classList.add('inngest-lab-root', 'inngest-lab-widget');
    const view = VIEWS[String(model.get('view'))];
    const cleanups = [notice(model, el)];
    if (view) {
      cleanups.push(view(model, el));
    } else {
      el.append(h('div', { class: 'inngest-lab-error' }, `unknown view ${model.get('view')}`));
    }
    return () => cleanups.forEach(c => c());
  }
};
