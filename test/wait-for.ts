/** Polls `check` every 5 ms until it holds (tap's timeout ends a test that never gets there). */
export async function waitFor (check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5))
}
