/**
 * Layout checks in a real browser: inside one element, no text cut off (an element's content wider
 * or taller than its box), nothing outside the element, and no two of the given parts overlapping —
 * boxes compared as drawn, at any scale of the wall's canvas.
 */
import type { Page } from 'playwright-core';

export async function layoutProblems(page: Page, root: string, parts: string): Promise<string[]> {
  return page.evaluate(
    ([rootSel, partsSel]) => {
      const out: string[] = [];
      const el = document.querySelector(rootSel!);
      if (!el) return [`${rootSel} missing`];
      const outer = el.getBoundingClientRect();
      const name = (e: Element) =>
        `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${(e.textContent ?? '').trim().slice(0, 30)}"`;
      for (const e of el.querySelectorAll<HTMLElement>('*')) {
        if (e.clientWidth === 0 && e.clientHeight === 0) continue; // inline: its block is checked
        if (e.scrollWidth > e.clientWidth + 1) out.push(`${name(e)} cut off across`);
        if (e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).overflowY !== 'visible')
          out.push(`${name(e)} cut off below`);
        const b = e.getBoundingClientRect();
        if (
          b.width > 0 &&
          (b.right > outer.right + 1 || b.bottom > outer.bottom + 1 || b.left < outer.left - 1)
        )
          out.push(`${name(e)} outside ${rootSel}`);
      }
      const boxes = [...el.querySelectorAll(partsSel!)].filter((e) => e.getBoundingClientRect().width > 0);
      boxes.forEach((a, i) => {
        for (const b of boxes.slice(i + 1)) {
          if (a.contains(b) || b.contains(a)) continue;
          const p = a.getBoundingClientRect();
          const q = b.getBoundingClientRect();
          if (
            p.left < q.right - 0.5 &&
            q.left < p.right - 0.5 &&
            p.top < q.bottom - 0.5 &&
            q.top < p.bottom - 0.5
          )
            out.push(`${name(a)} overlaps ${name(b)}`);
        }
      });
      return out;
    },
    [root, parts],
  );
}
