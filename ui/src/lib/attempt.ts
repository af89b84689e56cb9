/**
 * How a sheet calls the backend and shows what went wrong: the returned
 * `attempt(f)` clears the shown error, runs `f`, and if it fails shows the
 * error's sentence and gives `undefined`.
 */
export function attempter(show: (message: string) => void) {
  return async <T>(f: () => Promise<T>): Promise<T | undefined> => {
    show("");
    try {
      return await f();
    } catch (e) {
      show((e as Error).message);
    }
  };
}
