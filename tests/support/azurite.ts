import { startAzurite, type RunningAzurite } from '../../scripts/azurite.cjs';

export { startAzurite, type RunningAzurite };

/**
 * One Azurite (Table service, in memory, 127.0.0.1, a free port) for the enclosing mocha suite:
 * started in `before`, stopped in `after`. The getter throws when called outside the suite.
 */
export function useAzurite(): () => RunningAzurite {
  let azurite: RunningAzurite | undefined;
  before(async function () {
    this.timeout(60_000);
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
    azurite = undefined;
  });
  return () => {
    if (!azurite) throw new Error('Azurite is not running (useAzurite() outside its suite?)');
    return azurite;
  };
}

let tables = 0;

/** A table prefix no other test of this process uses, so tests sharing one Azurite never see each other's rows. */
export function freshTablePrefix(): string {
  tables++;
  return `t${process.pid}x${tables}`;
}
