/** `ELEVATE_STORE` (or a `--from`/`--to` of the copy tool) named a store this release cannot open. */
export class StoreSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreSpecError';
  }
}
