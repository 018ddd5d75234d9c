/**
 * Shared by the blacklist tests: waiting for something that happens asynchronously (a NOTIFY,
 * a reconnection) with a deadline instead of a fixed sleep.
 */

/**
 * Poll `condition` every 10 ms until it holds (true) or `deadlineMs` passes (false).
 *
 * @example
 * t.true(await eventually(() => blacklist.isBlacklisted('+15005550001')));
 */
export async function eventually(condition: () => boolean, deadlineMs = 15_000): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}
