import type { UsageRepository } from '../ports';

/**
 * Deletes the rows of replaced, deleted or abandoned batches in the background, one run at a time;
 * requests made during a run coalesce into one more run.
 */
export class UsageJanitor {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly usage: UsageRepository,
    private readonly onError: (error: unknown) => void,
  ) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop();
  }

  /** Resolves when no purge is running (before closing the database, and in tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.usage.purgeRetired();
      } catch (error) {
        this.onError(error);
      }
    } while (this.again);
    this.running = null;
  }
}
