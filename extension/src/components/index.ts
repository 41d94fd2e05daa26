/** Host-agnostic UI: plain DOM from API data (no JupyterLab imports), reused by any host. */
export * from './dom';
export * from './format';
export * from './tables';
export * from './timeline';
