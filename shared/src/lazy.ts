/** The value made on first call and kept for the container's life. A promise that rejects is
 *  forgotten, so the next call tries again (e.g. loading a secret while Secrets Manager is down). */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    if (made) return made.value;
    // Nothing is kept when make throws: the next call tries again.
    const value = make();
    made = { value };
    if (value instanceof Promise) {
      value.catch(() => {
        if (made?.value === value) made = undefined;
      });
    }
    return value;
  };
}
