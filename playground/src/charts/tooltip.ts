// One floating tooltip for every chart: shown beside the pointer with a chart's numbers under it.
let tip: HTMLDivElement | null = null;

function el(): HTMLDivElement {
  if (!tip) {
    tip = document.createElement("div");
    tip.className = "tooltip";
    tip.setAttribute("role", "status");
    document.body.append(tip);
  }
  return tip;
}

/** Shows `lines` near the page point (x, y). */
export function showTip(x: number, y: number, lines: string[]): void {
  const t = el();
  t.textContent = "";
  for (const l of lines) { const d = document.createElement("div"); d.textContent = l; t.append(d); }
  t.style.display = "block";
  const w = t.offsetWidth, h = t.offsetHeight;
  const left = x + 14 + w > window.scrollX + document.documentElement.clientWidth ? x - 14 - w : x + 14;
  t.style.left = `${Math.max(window.scrollX + 4, left)}px`;
  t.style.top = `${Math.max(window.scrollY + 4, y - h - 10)}px`;
}

export function hideTip(): void { if (tip) tip.style.display = "none"; }
