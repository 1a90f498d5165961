import { nextSlice } from '../../jobs/time-slice.js';

/** Urgent places handed out in a row while messages wait, before one message gets a place. */
const URGENT_RUN = 4;

/**
 * At most `limit` inbound activities are worked on at once; the others wait in arrival order. In a
 * storm of simultaneous messages (issue #13) every turn would otherwise start together, and the
 * continuations of hundreds of them (token checks, replies) could run back to back in single ticks
 * of the event loop. A freed place is handed to the next waiter on a later tick (`setImmediate`), and
 * an admitted turn starts only when the event loop's current slice has room (`nextSlice`,
 * jobs/time-slice.ts), so timers and I/O run between turns. Waiting costs no CPU, and the turns are
 * CPU-bound in a storm, so the last answer comes no later (measured: README "Benchmarks").
 *
 * Urgent work (an invoke: a card tap, a sign-in exchange) waits ahead of the rest: Teams gives an
 * invoke about 10-15 s for its answer (docs/api-contracts.md §5), while a message's reply is sent by
 * the bot whenever its turn comes. Every fifth place still goes to a waiting message, so a stream of
 * invokes cannot hold messages back for good.
 */
export class Admission {
  private running = 0;
  private readonly urgent: (() => void)[] = [];
  private readonly waiting: (() => void)[] = [];
  private urgentInARow = 0;

  /** `maxWaiting`: past this many waiting, `full` says so and the caller turns new work away. */
  constructor(
    private readonly limit: number,
    private readonly maxWaiting = Infinity,
  ) {}

  get full(): boolean {
    return this.urgent.length + this.waiting.length >= this.maxWaiting;
  }

  async run<T>(work: () => Promise<T>, options: { urgent?: boolean } = {}): Promise<T> {
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((resolve) => (options.urgent ? this.urgent : this.waiting).push(resolve));
    try {
      await nextSlice();
      return await work();
    } finally {
      const next = this.nextWaiter();
      // The place goes to the next waiter as it is (running stays the same), or is given back.
      if (next) setImmediate(next);
      else this.running--;
    }
  }

  /** Urgent work first, but every URGENT_RUN-th place goes to a waiting message, so a stream of invokes never starves messages. */
  private nextWaiter(): (() => void) | undefined {
    if (this.urgent.length > 0 && (this.urgentInARow < URGENT_RUN || this.waiting.length === 0)) {
      this.urgentInARow++;
      return this.urgent.shift();
    }
    this.urgentInARow = 0;
    return this.waiting.shift();
  }

  /** Activities being worked on, and waiting. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.urgent.length + this.waiting.length };
  }
}
