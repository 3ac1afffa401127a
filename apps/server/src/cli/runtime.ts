import { loadConfig } from '../config/config';
import { createRuntime } from '../main';
import type { Runtime } from '../main';
import { reportFailure } from './output';

export type RuntimeFactory = (
  output: { json?: boolean },
  run: (runtime: Runtime) => Promise<void>,
) => Promise<void>;

/** Opens the same database as the server (DATA_DIR / DATABASE_URL), runs one command, closes it. */
export const withRuntime: RuntimeFactory = async (output, run) => {
  let runtime: Runtime | undefined;
  try {
    runtime = await createRuntime(loadConfig());
    await run(runtime);
  } catch (error) {
    reportFailure(error, { json: output.json === true });
  } finally {
    await runtime?.close();
  }
};
