/**
 * Saved notebooks show their inngest-lab outputs after a reload. A widget output keeps only the model id; once
 * the kernel that held the model is gone, JupyterLab's widget renderer says "Error displaying widget: model
 * not found". Our widgets also put a static HTML rendering in the same output (`text/html`, from
 * `inngest_lab/workbench/render.py`): this swaps it in for that error, rendered through JupyterLab's own HTML
 * renderer (so an untrusted notebook's HTML is sanitized as any other output's).
 *
 * JupyterLab's notebook classes are not imported: the cells' output areas are found through the shell's
 * widgets, by the few members used here.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';

/** The text the widget renderer shows when a model is gone (@jupyter-widgets/jupyterlab-manager). */
export const MODEL_NOT_FOUND = 'Error displaying widget: model not found';
/** The classes our static renderings carry (render.py). */
const OURS = /class="inngest-(timeline|runs|functions|composer)-static"/;

interface IOutputItem {
  data: Record<string, unknown>;
  trusted: boolean;
}
interface IOutputAreaLike {
  model: { length: number; get(index: number): IOutputItem };
  widgets: readonly Widget[];
}

/** The static HTML of an output, when it is one of ours. Pure. */
export function fallbackHtml(data: Record<string, unknown>): string | null {
  const raw = data['text/html'];
  const html = Array.isArray(raw) ? raw.join('') : raw;
  return typeof html === 'string' && OURS.test(html) ? html : null;
}

function outputAreas(app: JupyterFrontEnd): IOutputAreaLike[] {
  const areas: IOutputAreaLike[] = [];
  for (const panel of app.shell.widgets('main')) {
    const cells = (panel as unknown as { content?: { widgets?: readonly unknown[] } }).content?.widgets ?? [];
    for (const cell of cells) {
      const area = (cell as { outputArea?: IOutputAreaLike }).outputArea;
      if (area?.model && area.widgets) {
        areas.push(area);
      }
    }
  }
  return areas;
}

async function replace(node: HTMLElement, item: IOutputItem, html: string, rendermime: IRenderMimeRegistry): Promise<void> {
  const renderer = rendermime.createRenderer('text/html');
  await renderer.renderModel(new MimeModel({ data: { 'text/html': html }, trusted: item.trusted }));
  node.classList.add('inngest-lab-widget-fallback');
  node.replaceChildren(renderer.node);
}

function sweep(app: JupyterFrontEnd, rendermime: IRenderMimeRegistry): void {
  const broken = [...document.querySelectorAll<HTMLElement>('.jupyter-widgets')].filter(
    el => el.textContent?.trim() === MODEL_NOT_FOUND && !el.dataset.inngestLabFallback
  );
  if (broken.length === 0) {
    return;
  }
  for (const area of outputAreas(app)) {
    area.widgets.forEach((child, index) => {
      const el = broken.find(b => child.node.contains(b));
      if (!el || index >= area.model.length) {
        return;
      }
      const item = area.model.get(index);
      const html = fallbackHtml(item.data);
      if (html !== null) {
        el.dataset.inngestLabFallback = 'true';
        void replace(el, item, html, rendermime);
      }
    });
  }
}

/** Watch the page for widget outputs whose model is gone and show their static rendering instead. */
export function showFallbacksForLostWidgets(app: JupyterFrontEnd, rendermime: IRenderMimeRegistry): void {
  let pending = false;
  const observer = new MutationObserver(() => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        sweep(app, rendermime);
      });
    }
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
}
