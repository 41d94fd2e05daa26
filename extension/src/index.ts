/**
 * inngest-lab in JupyterLab: a left sidebar (Functions, Runs live, Events), a main-area Run timeline
 * panel, a "Send event" command in the palette, settings for polling and theme, and the static rendering of
 * saved widget outputs whose kernel is gone (widgetFallback.ts).
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, IThemeManager, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { LabIcon } from '@jupyterlab/ui-components';

import { InngestLabModel } from './model';
import { JupyterApi } from './request';
import { sendEventDialog } from './sendEvent';
import { InngestSidebar } from './sidebar';
import { RunTimelinePanel } from './timelinePanel';
import { CommandIDs, DEFAULT_SETTINGS, ISettings } from './tokens';
import { showFallbacksForLostWidgets } from './widgetFallback';

const PLUGIN_ID = 'inngest-lab:plugin';

export const inngestIcon = new LabIcon({
  name: 'inngest-lab:icon',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16"><g class="jp-icon3" fill="#616161">' +
    '<rect x="3" y="5" width="10" height="3" rx="1"/><rect x="7" y="10.5" width="12" height="3" rx="1"/>' +
    '<rect x="5" y="16" width="8" height="3" rx="1"/></g></svg>'
});

const plugin: JupyterFrontEndPlugin<InngestLabModel> = {
  id: PLUGIN_ID,
  description: 'inngest-lab sidebar, run timeline panel and Send event command.',
  autoStart: true,
  requires: [ICommandPalette],
  optional: [ISettingRegistry, ILayoutRestorer, IThemeManager, IRenderMimeRegistry],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette,
    registry: ISettingRegistry | null,
    restorer: ILayoutRestorer | null,
    themes: IThemeManager | null,
    rendermime: IRenderMimeRegistry | null
  ): InngestLabModel => {
    const api = new JupyterApi(app.serviceManager.serverSettings);
    const model = new InngestLabModel(api);
    const tracker = new WidgetTracker<MainAreaWidget<RunTimelinePanel>>({ namespace: 'inngest-lab-timeline' });
    let settings: ISettings = { ...DEFAULT_SETTINGS };

    const applyTheme = () => {
      const dark = settings.theme === 'dark' || (settings.theme === 'auto' && themes?.theme !== null && themes?.isLight(themes.theme ?? '') === false);
      document.body.dataset.inngestLabTheme = settings.theme === 'auto' ? (dark ? 'dark' : 'light') : settings.theme;
    };
    themes?.themeChanged.connect(applyTheme);

    const openTimeline = async (runId?: string) => {
      const id = runId ?? model.runs[0]?.run_id;
      if (!id) {
        await model.refreshRuns();
      }
      const target = id ?? model.runs[0]?.run_id;
      if (!target) {
        return null;
      }
      const existing = tracker.find(w => w.content.runId === target);
      if (existing) {
        app.shell.activateById(existing.id);
        return existing;
      }
      const content = new RunTimelinePanel(model, target);
      const widget = new MainAreaWidget({ content });
      widget.id = content.id;
      widget.title.label = content.title.label;
      widget.title.icon = inngestIcon;
      widget.title.closable = true;
      content.title.changed.connect(() => (widget.title.label = content.title.label));
      await tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return widget;
    };

    app.commands.addCommand(CommandIDs.sendEvent, {
      label: 'Send event',
      caption: 'Send an event to the inngest-lab engine hosted by this Jupyter server',
      execute: () => sendEventDialog(model, api.eventApiUrl)
    });
    app.commands.addCommand(CommandIDs.openTimeline, {
      label: args => (args.runId ? `Run timeline ${args.runId}` : 'Open Run timeline (latest run)'),
      caption: 'Open the Gantt timeline of a run',
      execute: args => openTimeline(args.runId as string | undefined)
    });
    app.commands.addCommand(CommandIDs.openSidebar, {
      label: 'Show Inngest Lab sidebar',
      execute: () => app.shell.activateById(sidebar.id)
    });
    app.commands.addCommand(CommandIDs.refresh, {
      label: 'Refresh Inngest Lab',
      execute: () => model.refresh()
    });
    for (const command of [CommandIDs.sendEvent, CommandIDs.openTimeline, CommandIDs.openSidebar, CommandIDs.refresh]) {
      palette.addItem({ command, category: 'Inngest Lab' });
    }

    const sidebar = new InngestSidebar(model, {
      openRun: runId => void app.commands.execute(CommandIDs.openTimeline, { runId }),
      sendEvent: () => void app.commands.execute(CommandIDs.sendEvent),
      refresh: () => void model.refresh()
    });
    sidebar.title.icon = inngestIcon;
    app.shell.add(sidebar, 'left', { rank: 300 });
    if (restorer) {
      restorer.add(sidebar, sidebar.id);
      void restorer.restore(tracker, {
        command: CommandIDs.openTimeline,
        args: w => ({ runId: w.content.runId }),
        name: w => w.content.runId
      });
    }

    const start = () => void model.start();
    if (registry) {
      registry
        .load(PLUGIN_ID)
        .then(loaded => {
          const read = () => {
            settings = { ...DEFAULT_SETTINGS, ...(loaded.composite as Partial<ISettings>) };
            model.updateSettings(settings);
            applyTheme();
          };
          read();
          loaded.changed.connect(read);
          start();
        })
        .catch(() => start());
    } else {
      start();
    }
    applyTheme();
    if (rendermime) {
      showFallbacksForLostWidgets(app, rendermime);
    }
    console.log('inngest-lab: extension activated');
    return model;
  }
};

export default plugin;
