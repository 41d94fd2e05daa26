/**
 * The one icon set: small inline SVGs, so they render the same everywhere whatever fonts are installed
 * (Debian's fonts have no U+23FE, which drew as an empty box). They take the text colour (`currentColor`).
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

/** 16×16 path data per icon name. */
const PATHS: Record<string, string> = {
  run: 'M4 2.5v11l9-5.5z',
  sleep: 'M10.5 2a6 6 0 1 0 3.5 10.3A5 5 0 0 1 10.5 2z',
  wait: 'M1.5 3.5h13v9h-13zM1.5 3.5l6.5 5 6.5-5',
  invoke: 'M6 3h7v7M13 3 3 13',
  call: 'M8 1.5 15 14H1zM8 6v4M8 11.5v1',
  fn: 'M10.5 2.5c-2 0-2.5 1-2.8 3L6.5 13c-.3 1.5-1 2-2.5 2M4.5 6.5h6',
  flow: 'M2 4h12M2 8h8M2 12h4',
  refresh: 'M13 8a5 5 0 1 1-1.5-3.6M13 2v3h-3',
  dot: 'M8 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z'
};

/** Stroked icons are outlines; the others are filled shapes. */
const STROKED = new Set(['wait', 'invoke', 'call', 'fn', 'flow', 'refresh']);

/** An inline SVG icon named `name` (unknown names draw a dot); `label` makes it announced, else it is hidden. */
export function icon(name: string, label?: string): SVGSVGElement {
  const key = name in PATHS ? name : 'dot';
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '12');
  svg.setAttribute('height', '12');
  svg.setAttribute('class', `inngest-lab-svg-icon inngest-lab-svg-${key}`);
  svg.setAttribute('data-icon', key);
  if (label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  } else {
    svg.setAttribute('aria-hidden', 'true');
  }
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', PATHS[key]);
  if (STROKED.has(key)) {
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '1.6');
    path.setAttribute('stroke-linejoin', 'round');
    path.setAttribute('stroke-linecap', 'round');
  } else {
    path.setAttribute('fill', 'currentColor');
  }
  svg.append(path);
  return svg;
}
