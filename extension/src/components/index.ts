/** Host-agnostic UI: plain DOM from API data (no JupyterLab imports), reused by every host. */
export * from './dom';
export * from './events';
export * from './format';
export * from './icons';
export * from './runsTable';
export * from './tables';
export * from './timeline';
export * from './realtime';
