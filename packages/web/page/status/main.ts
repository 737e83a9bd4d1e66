import { byId } from '../shared/dom.js';
import { fetchStatus, setToken, Unauthorized } from './api.js';
import { RateChart } from './chart.js';
import { TracePanel } from './trace.js';
import { render } from './view.js';

// The teacher's status page (DESIGN.md "Transports and the browser"): who is online on which dialect,
// rooms, message rate, errors, and the live trace of one chosen connection. Reads /status every second.
const POLL_MS = 1000;

const chart = new RateChart(byId<HTMLCanvasElement>('chart'));
const panel = new TracePanel(byId('trace-title'), byId<HTMLOListElement>('trace'));
let timer: number | undefined;

byId<HTMLFormElement>('token-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  setToken(byId<HTMLInputElement>('token').value.trim());
  document.body.dataset.screen = 'status';
  void tick();
});
byId('trace-stop').addEventListener('click', () => panel.stop());

async function tick(): Promise<void> {
  window.clearTimeout(timer);
  try {
    const s = await fetchStatus();
    document.body.dataset.screen = 'status';
    byId('rate').textContent = `${chart.push(s.messages.direct + s.messages.room).toFixed(1)} messages/s`;
    byId('totals').textContent = `${s.messages.direct} direct, ${s.messages.room} room messages since start`;
    render(s, (conn) => panel.watch(conn));
    byId('poll-state').textContent = '';
  } catch (err) {
    if (err instanceof Unauthorized) {
      // Asked once: the form stays until a token works.
      document.body.dataset.screen = 'token';
      byId('token-error').textContent = byId<HTMLInputElement>('token').value ? 'That token was refused.' : '';
      return;
    }
    byId('poll-state').textContent = `cannot read /status: ${(err as Error).message}`;
  }
  timer = window.setTimeout(() => void tick(), POLL_MS);
}

void tick();
