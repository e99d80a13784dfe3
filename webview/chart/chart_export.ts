// Turns the drawn chart cards into one standalone SVG (theme colours resolved, since CSS variables
// mean nothing outside VS Code) and into a PNG rendered from that SVG.

const SVG_NS = 'http://www.w3.org/2000/svg';

function themeColour(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function chartToSvg(cards: SVGSVGElement[]): string {
  const foreground = themeColour('--vscode-editor-foreground', '#333333');
  const background = themeColour('--vscode-editor-background', '#ffffff');
  const width = Math.max(1, ...cards.map((c) => Number(c.getAttribute('width')) || 0));
  const titleHeight = 18;
  let y = 0;
  const root = document.createElementNS(SVG_NS, 'svg');
  root.setAttribute('xmlns', SVG_NS);
  const style = document.createElementNS(SVG_NS, 'style');
  style.textContent = `text{fill:${foreground};font:11px sans-serif}.domain,.tick line{stroke:${foreground}}`
    + '.line{fill:none;stroke-width:1.5}.cursor,.hover-target{display:none}';
  root.append(style);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('fill', background);
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  root.append(bg);
  for (const card of cards) {
    const height = Number(card.getAttribute('height')) || 0;
    const title = document.createElementNS(SVG_NS, 'text');
    title.setAttribute('x', '8');
    title.setAttribute('y', String(y + 13));
    title.textContent = card.closest('figure')?.dataset.tag ?? '';
    root.append(title);
    const copy = card.cloneNode(true) as SVGSVGElement;
    copy.removeAttribute('tabindex');
    copy.setAttribute('y', String(y + titleHeight));
    root.append(copy);
    y += height + titleHeight;
  }
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(y));
  root.setAttribute('viewBox', `0 0 ${width} ${y}`);
  return new XMLSerializer().serializeToString(root);
}

/** Base64 PNG (no data: prefix) at twice the on-screen resolution. */
export async function chartToPng(cards: SVGSVGElement[]): Promise<string> {
  const svg = chartToSvg(cards);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth * 2;
  canvas.height = image.naturalHeight * 2;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(2, 2);
  ctx.drawImage(image, 0, 0);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}
