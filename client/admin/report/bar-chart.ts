// A horizontal bar chart of a few counts, drawn by Chartist (SVG; docs/architecture.md,
// Libraries). Loaded with import() by the report alone, so the app's first load carries
// none of it. The chart is a picture of numbers a table beside it states: the caller gives
// it role="img" and a text alternative, so it is hidden from assistive technology here.
import 'chartist/dist/index.css';
import './bar-chart.css';
import { BarChart } from 'chartist';
import type { Count } from './cancellation-report.ts';

const ROW_REM = 2.75;
// Room left of the bars for their labels ("Over 7 days"), in px as Chartist takes it.
const LABEL_WIDTH_PX = 96;

/** Draws `bars` into `el`, first at the top, each with its count at its end; returns the remover. */
export function drawBarChart(el: HTMLElement, bars: readonly Count[]): () => void {
  const chart = new BarChart(
    el,
    { labels: bars.map((b) => b.label), series: [bars.map((b) => b.count)] },
    {
      horizontalBars: true,
      reverseData: true,
      height: `${bars.length * ROW_REM + 2}rem`,
      // A little room right of the longest bar for its count.
      chartPadding: { top: 8, right: 32, bottom: 0, left: 0 },
      axisX: { onlyInteger: true, showGrid: true },
      axisY: { offset: LABEL_WIDTH_PX, showGrid: false },
      low: 0,
    },
  );
  // reverseData draws the last bar first: event.index counts from the bottom.
  const drawn = [...bars].reverse();
  chart.on('draw', (event) => {
    if (event.type !== 'bar' || !('x2' in event)) return;
    event.group
      .elem('text', { x: event.x2 + 6, y: event.y2 + 5 }, 'bar-value')
      .text(String(drawn[event.index]?.count ?? ''));
  });
  chart.on('created', () => el.querySelector('svg')?.setAttribute('aria-hidden', 'true'));
  return () => chart.detach();
}
