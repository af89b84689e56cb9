// The one shared 1 s timer. Every countdown reads `clock.now`; nothing else
// polls. Ticks are aligned to the wall-clock second so all rings move together
// and codes roll over on time.
export const clock = $state({ now: Date.now() });

let timer: ReturnType<typeof setTimeout> | undefined;
let users = 0;

function schedule() {
  timer = setTimeout(
    () => {
      clock.now = Date.now();
      schedule();
    },
    1000 - (Date.now() % 1000) + 2,
  );
}

/** Start the timer (counted: the last stop really stops it). Returns stop. */
export function startClock(): () => void {
  users++;
  clock.now = Date.now();
  if (timer === undefined) schedule();
  return () => {
    if (--users === 0 && timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
}
