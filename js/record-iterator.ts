// `iterateRecords` over `iteratePages`: the records of each page handed out one by one
// from the array, without an async generator. `yield*` inside an async generator costs
// several promise jobs per record; here a record already in hand costs one resolved
// promise. Measured: BENCHMARKS.md, "`iterateRecords` against `getAllRecords`".
//
// The pages' iterator keeps every guarantee (cleanup on completion, break, throw and
// abort; the cursor deleted): `return` and `throw` are passed on to it.

/**
 * The records of `pages`, in order. A record is delivered only while `signal` has not
 * aborted: an abort seen between two records of one page ends the read as an abort
 * during a request does.
 */
export function recordsOf<T>(pages: AsyncIterableIterator<T[]>, signal: AbortSignal | undefined): AsyncIterableIterator<T> {
  let page: T[] = [];
  let index = 0;
  let finished = false;
  // Set while the next page is awaited, so that a `next()` called meanwhile waits its turn.
  let reading: Promise<IteratorResult<T>> | undefined;

  async function nextPage(): Promise<IteratorResult<T>> {
    for (;;) {
      const next = await pages.next();
      if (next.done) {
        finished = true;
        return { value: undefined, done: true };
      }
      page = next.value;
      index = 0;
      if (page.length > 0) return { value: page[index++] as T, done: false };
    }
  }

  function stop(): void {
    finished = true;
    page = [];
    index = 0;
  }

  const records: AsyncIterableIterator<T> = {
    next(): Promise<IteratorResult<T>> {
      if (reading) return reading.then(() => records.next(), () => records.next());
      if (index < page.length) {
        if (signal?.aborted) return records.throw!(signal.reason);
        return Promise.resolve({ value: page[index++] as T, done: false });
      }
      if (finished) return Promise.resolve({ value: undefined, done: true });
      const pending = nextPage();
      reading = pending;
      const settled = () => {
        if (reading === pending) reading = undefined;
      };
      pending.then(settled, () => {
        settled();
        stop(); // the pages' iterator has ended with the error
      });
      return pending;
    },
    async return(value?: unknown): Promise<IteratorResult<T>> {
      stop();
      await pages.return?.();
      return { value: value as T, done: true };
    },
    throw(error?: unknown): Promise<IteratorResult<T>> {
      stop();
      return pages.throw ? pages.throw(error).then(() => ({ value: undefined, done: true })) : Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return records;
    },
  };
  return records;
}
